using System.Buffers.Text;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace Dataraven.Portal.Auth;

/// <summary>
/// The endpoints the pages' script (wwwroot/passkeys.js) asks for a WebAuthn ceremony's options before it calls
/// <c>navigator.credentials.create()</c> / <c>.get()</c>. Each answers the JSON Identity makes and keeps the ceremony's
/// challenge in its short-lived cookie; the page's form then posts the browser's answer. They are posts with the page
/// form's antiforgery token: a page of another site cannot start (and so reset) a ceremony.
/// </summary>
public static class PasskeyEndpoints
{
    /// <summary>Signed in, on /account/security: options to add a passkey to the account.</summary>
    public const string CreationOptionsPath = "/account/passkeys/creation-options";

    /// <summary>The sign-in page: options for a passwordless sign-in with any passkey of this site.</summary>
    public const string RequestOptionsPath = "/account/passkeys/request-options";

    /// <summary>The second step: options for a passkey of the account that passed the password.</summary>
    public const string SecondStepOptionsPath = "/account/login/two-factor/passkey-options";

    public static void MapPasskeyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(CreationOptionsPath, async (HttpContext http, IAntiforgery antiforgery, UserManager<PortalUser> users, SignInManager<PortalUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }
            if (await users.GetUserAsync(http.User) is not { } user)
            {
                return Results.Unauthorized();
            }
            var name = user.Email ?? user.UserName ?? user.Id.ToString();
            var json = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id.ToString(), Name = name, DisplayName = name });
            return Results.Content(json, "application/json");
        }).RequireAuthorization().DisableAntiforgery().ExcludeFromDescription();

        app.MapPost(RequestOptionsPath, async (HttpContext http, IAntiforgery antiforgery, SignInManager<PortalUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }
            // No account named: the browser offers the passkeys it has for this site, and the answer says whose it is.
            // (Naming one would tell a stranger whether that email has an account, and which passkeys.)
            return Results.Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");
        }).DisableAntiforgery().ExcludeFromDescription();

        app.MapPost(SecondStepOptionsPath, async (HttpContext http, IAntiforgery antiforgery, SignInManager<PortalUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }
            var json = signIn is PortalSignInManager portal ? await portal.MakeTwoFactorPasskeyRequestOptionsAsync() : null;
            return json is null ? Results.Unauthorized() : Results.Content(json, "application/json");
        }).DisableAntiforgery().ExcludeFromDescription();
    }
}

/// <summary>
/// Whether a WebAuthn answer was made on this portal's own pages. Identity's default compares it with the request's
/// Origin header, but the pages' form posts carry <c>Origin: null</c> (the portal sends <c>Referrer-Policy: no-referrer</c>),
/// so the portal's own address (as the request reached it, through a trusted proxy too) is compared instead. Answers
/// from a frame of another site never count.
/// </summary>
public static class PasskeyOrigin
{
    public static ValueTask<bool> IsThisPortal(PasskeyOriginValidationContext context)
    {
        var request = context.HttpContext.Request;
        var own = $"{request.Scheme}://{request.Host.Value}";
        return ValueTask.FromResult(!context.CrossOrigin && context.TopOrigin is null
            && string.Equals(context.Origin, own, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>A passkey as the security page lists it: its name, when it was added, and its id for the forms.</summary>
public sealed record PasskeyListItem(string Id, string Name, DateTimeOffset CreatedAt)
{
    public const int MaxNameLength = 100;
    public const string DefaultName = "Passkey";

    public static PasskeyListItem From(UserPasskeyInfo passkey) =>
        new(IdOf(passkey.CredentialId), string.IsNullOrWhiteSpace(passkey.Name) ? DefaultName : passkey.Name, passkey.CreatedAt);

    /// <summary>The credential id as the forms carry it (base64url; a public identifier, not a secret).</summary>
    public static string IdOf(byte[] credentialId) => Base64Url.EncodeToString(credentialId);

    public static byte[]? CredentialIdOf(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 2048)
        {
            return null;
        }
        try
        {
            return Base64Url.DecodeFromChars(id);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The name as typed, trimmed and cut to <see cref="MaxNameLength"/>; the default for a blank one.</summary>
    public static string NameOf(string? typed)
    {
        var name = (typed ?? "").Trim();
        return name.Length == 0 ? DefaultName : name.Length > MaxNameLength ? name[..MaxNameLength] : name;
    }
}
