using System.Text;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace Dataraven.Portal.Auth;

/// <summary>The sign-in step after the password, for accounts with a second factor.</summary>
public static class TwoFactorStep
{
    public const string Path = "/account/login/two-factor";

    /// <summary>The one answer to any wrong code: it does not say which factors the account has.</summary>
    public const string WrongCode = "That code did not work. Check it and try again.";

    public static string PathFor(string? returnUrl) =>
        string.IsNullOrEmpty(returnUrl) ? Path : $"{Path}?ReturnUrl={Uri.EscapeDataString(ReturnUrls.LocalOrRoot(returnUrl))}";

    /// <summary>What was typed, as Identity's checks want it: spaces people copy along ("123 456") are dropped; a recovery code keeps its dash.</summary>
    public static string Normalize(string? code) => new((code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());

    /// <summary>Six digits are an authenticator code; anything else can only be a recovery code.</summary>
    public static bool IsAuthenticatorCode(string normalized) => normalized.Length == 6 && normalized.All(char.IsAsciiDigit);
}

/// <summary>An authenticator app's setup: the key as people type it, and the otpauth URI as a QR code.</summary>
public sealed record AuthenticatorSetup(string Key, string QrSvgDataUri)
{
    public const int RecoveryCodeCount = 10;
    private const string Issuer = "DataRaven";

    public static async Task<AuthenticatorSetup> LoadAsync(UserManager<PortalUser> users, PortalUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        return For(key!, user.Email ?? user.UserName ?? "");
    }

    public static AuthenticatorSetup For(string key, string account)
    {
        var uri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return new AuthenticatorSetup(Grouped(key), "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg)));
    }

    /// <summary>"ABCD EFGH ..." (lower case reads more easily; authenticator apps take either).</summary>
    private static string Grouped(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }
        return result.ToString().TrimEnd().ToLowerInvariant();
    }
}

/// <summary>The link that lets someone choose a new password: Identity's reset token (one hour, once) in its query.</summary>
public static class PasswordResetLinks
{
    public const string Path = "/account/reset-password";

    public static string For(string baseUri, Guid userId, string token) =>
        $"{baseUri.TrimEnd('/')}{Path}?user={userId}&token={Uri.EscapeDataString(token)}";
}
