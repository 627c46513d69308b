namespace Dataraven.Portal.Auth;

/// <summary>
/// <c>Accounts:Registration</c>: <c>invite_only</c> (default) creates accounts only for the email of a pending
/// invitation, so nobody can register a future member's email first; <c>open</c> lets anyone register.
/// The first-run setup and the <c>bootstrap</c> command create the first team either way.
/// </summary>
public static class Registration
{
    public const string Key = "Accounts:Registration";
    public const string InviteOnly = "invite_only";
    public const string Open = "open";

    public static bool IsOpen(IConfiguration configuration) =>
        string.Equals(configuration[Key], Open, StringComparison.OrdinalIgnoreCase);
}
