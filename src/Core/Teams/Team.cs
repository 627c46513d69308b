using Microsoft.AspNetCore.Identity;

namespace Dataraven.Core.Teams;

public sealed class Team
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Tier { get; set; }
    public DateTime CreatedAt { get; set; }
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

/// <summary>Who is acting, in which team, with which role: a signed-in member or an API key.</summary>
public sealed record TeamActor(Guid TeamId, Guid UserId, TeamRole Role, Guid? ApiKeyId = null);
