namespace Dataraven.Core.Teams;

/// <summary>Per-team roles, ordered: a higher value may do everything a lower one may (what each may: <see cref="TeamPermissions"/>).</summary>
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
}
