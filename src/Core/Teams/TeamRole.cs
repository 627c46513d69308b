namespace Dataraven.Core.Teams;

/// <summary>Per-team roles, ordered: a higher value may do everything a lower one may.</summary>
public enum TeamRole
{
    Viewer = 0,
    Operator = 1,
    Admin = 2,
    Owner = 3,
}

public static class TeamRoles
{
    public static readonly IReadOnlyList<TeamRole> All = [TeamRole.Owner, TeamRole.Admin, TeamRole.Operator, TeamRole.Viewer];

    public static string ToWire(this TeamRole role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out TeamRole role)
    {
        foreach (var r in All)
        {
            if (string.Equals(r.ToWire(), value, StringComparison.Ordinal)) { role = r; return true; }
        }
        role = default;
        return false;
    }

    /// <summary>Create, update, rotate and delete vault connections, secrets and API keys.</summary>
    public static bool CanWrite(this TeamRole role) => role >= TeamRole.Admin;

    /// <summary>Check a vault connection against its provider.</summary>
    public static bool CanVerify(this TeamRole role) => role >= TeamRole.Operator;

    public static bool CanManageMembers(this TeamRole role) => role == TeamRole.Owner;

    /// <summary>See, send and revoke invitations at all (which roles: <see cref="CanInvite"/>).</summary>
    public static bool CanInviteMembers(this TeamRole role) => role >= TeamRole.Admin;

    /// <summary>An Owner invites any role; an Admin only roles below Admin.</summary>
    public static bool CanInvite(this TeamRole role, TeamRole invited) =>
        role == TeamRole.Owner || (role == TeamRole.Admin && invited < TeamRole.Admin);

    /// <summary>The roles <paramref name="role"/> may invite, highest first.</summary>
    public static IReadOnlyList<TeamRole> InvitableBy(TeamRole role) => All.Where(r => role.CanInvite(r)).ToList();

    public static bool CanChangeTier(this TeamRole role) => role == TeamRole.Owner;
}
