using System.Security.Claims;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Dataraven.Portal.Auth;

/// <summary>
/// Identity's sign-in, except that an unknown email costs the same password hashing as a known one, so the
/// time of a failed sign-in does not tell whether an account exists; and a passkey is a second factor too: an account
/// with a passkey is asked for a second step after its password, which the passkey (or a code) completes.
/// </summary>
public sealed class PortalSignInManager(
    UserManager<PortalUser> users,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation)
    : SignInManager<PortalUser>(users, contextAccessor, claimsFactory, options, logger, schemes, confirmation)
{
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            Context.RequestServices.GetRequiredService<ThrowawayPasswordHash>().SpendACheck(UserManager.PasswordHasher, password);
            return SignInResult.Failed;
        }
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    /// <summary>An authenticator app that is on, or any passkey, makes the password only the first step.</summary>
    public override async Task<bool> IsTwoFactorEnabledAsync(PortalUser user) =>
        await base.IsTwoFactorEnabledAsync(user) || (await UserManager.GetPasskeysAsync(user)).Count > 0;

    /// <summary>
    /// The options for <c>navigator.credentials.get()</c> at the second step, limited to the passkeys of the account that
    /// passed the password; null when no password was passed (or it expired). Identity keeps a passkey ceremony's state in
    /// the same short-lived cookie that says who passed the password, so its own request options would forget that:
    /// the state is kept beside the user instead.
    /// </summary>
    public async Task<string?> MakeTwoFactorPasskeyRequestOptionsAsync()
    {
        var step = await Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var user = await GetTwoFactorAuthenticationUserAsync();
        if (user is null || step.Principal is null)
        {
            return null;
        }
        var options = await Passkeys.MakeRequestOptionsAsync(user, Context);
        var properties = step.Properties ?? new AuthenticationProperties();
        properties.Items[SecondStepPasskeyState] = options.AssertionState;
        await Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, step.Principal, properties);
        return options.RequestOptionsJson;
    }

    /// <summary>
    /// Completes the second step with a passkey of the account that passed the password. A challenge answers once: a
    /// failed attempt needs new options, and the password step stays valid for them.
    /// </summary>
    public async Task<SignInResult> TwoFactorPasskeySignInAsync(string? credentialJson)
    {
        var step = await Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var user = await GetTwoFactorAuthenticationUserAsync();
        if (user is null || step.Principal is null || step.Properties is null
            || !step.Properties.Items.TryGetValue(SecondStepPasskeyState, out var state) || state is null)
        {
            return SignInResult.Failed;
        }
        step.Properties.Items.Remove(SecondStepPasskeyState);
        await Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, step.Principal, step.Properties);
        if (string.IsNullOrEmpty(credentialJson))
        {
            return SignInResult.Failed;
        }
        var assertion = await Passkeys.PerformAssertionAsync(new PasskeyAssertionContext
        {
            CredentialJson = credentialJson,
            AssertionState = state,
            HttpContext = Context,
        });
        if (!assertion.Succeeded || assertion.User.Id != user.Id
            || !(await UserManager.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded)
        {
            return SignInResult.Failed;
        }
        await Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa")]);
        return SignInResult.Success;
    }

    private const string SecondStepPasskeyState = "dataraven.second-step-passkey";

    private IPasskeyHandler<PortalUser> Passkeys => Context.RequestServices.GetRequiredService<IPasskeyHandler<PortalUser>>();

}

/// <summary>
/// One throwaway password hash per portal (a singleton), made by that portal's hasher, so it carries the rounds real
/// hashes have. It was a static once: the first portal in a process (a test host with cheap hashing) set it for all.
/// </summary>
public sealed class ThrowawayPasswordHash
{
    private string? _hash;

    /// <summary>Verifies <paramref name="password"/> against the throwaway hash: the work of a real check, for an account that does not exist.</summary>
    public void SpendACheck(IPasswordHasher<PortalUser> hasher, string password) =>
        hasher.VerifyHashedPassword(new PortalUser(), _hash ??= hasher.HashPassword(new PortalUser(), Guid.NewGuid().ToString()), password);
}
