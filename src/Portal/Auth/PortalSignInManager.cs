using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Dataraven.Portal.Auth;

/// <summary>
/// Identity's sign-in, except that an unknown email costs the same password hashing as a known one, so the
/// time of a failed sign-in does not tell whether an account exists.
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
            SpendAPasswordCheck(UserManager.PasswordHasher, password);
            return SignInResult.Failed;
        }
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    /// <summary>Verifies <paramref name="password"/> against a throwaway hash: the work of a real check, for an account that does not exist.</summary>
    public static void SpendAPasswordCheck(IPasswordHasher<PortalUser> hasher, string password)
    {
        var nobody = new PortalUser();
        hasher.VerifyHashedPassword(nobody, ThrowawayHash ??= hasher.HashPassword(nobody, Guid.NewGuid().ToString()), password);
    }

    private static string? ThrowawayHash;
}
