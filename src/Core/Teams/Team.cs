using Microsoft.AspNetCore.Identity;

namespace Dataraven.Core.Teams;

public sealed class Team
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Tier { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Changes, in the same transaction, whenever one of the team's secrets or vault connections is added, changed or
    /// deleted (<see cref="Persistence.TeamDataVersions"/>): what a cached list of them was built from.
    /// </summary>
    public Guid DataVersion { get; set; }
}

public sealed class TeamMember
{
    public Guid TeamId { get; set; }
    public Guid UserId { get; set; }
    public TeamRole Role { get; set; }
    public DateTime CreatedAt { get; set; }

    public Team? Team { get; set; }
    public PortalUser? User { get; set; }
}

public sealed class PortalUser : IdentityUser<Guid>
{
    /// <summary>The team the portal opens with; changed by the team switcher.</summary>
    public Guid? CurrentTeamId { get; set; }
}

/// <summary>
/// Who is acting, in which team, with which role: a signed-in member, an API key, or the portal itself (the
/// scheduler). <see cref="ActorName"/>, <see cref="Via"/> and <see cref="Ip"/> are what audit events record.
/// </summary>
public sealed record TeamActor(Guid TeamId, Guid UserId, TeamRole Role, Guid? ApiKeyId = null)
{
    /// <summary>The user's email or the API key's name.</summary>
    public string? ActorName { get; init; }
    public Audit.AuditVia Via { get; init; } = ApiKeyId is null ? Audit.AuditVia.Ui : Audit.AuditVia.Api;
    public string? Ip { get; init; }
    public bool IsSystem { get; init; }

    /// <summary>Someone outside the team acting through a credential request's link (known by address only).</summary>
    public bool IsExternal { get; init; }

    public string ActorType => IsSystem ? "system" : IsExternal ? "external" : ApiKeyId is null ? "user" : "api_key";

    /// <summary>The key's id for an API key, the user's id for a member, none for the portal itself or an outsider.</summary>
    public Guid? ActorId => IsSystem || IsExternal ? null : ApiKeyId ?? UserId;

    /// <summary>The portal acting on its own (scheduled checks): may check, never changes what members own.</summary>
    public static TeamActor System(Guid teamId) =>
        new(teamId, Guid.Empty, TeamRole.Operator) { IsSystem = true, ActorName = "DataRaven scheduler", Via = Audit.AuditVia.Scheduler };
}
