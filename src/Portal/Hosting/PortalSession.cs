using System.Security.Claims;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dataraven.Portal.Hosting;

/// <summary>What every page needs: who is signed in, their teams, and their role in the current team.</summary>
/// <param name="Ip">The browser's address, for the audit events of this user's changes.</param>
public sealed record PortalContext(Guid UserId, string Email, IReadOnlyList<Membership> Memberships, Membership? Team, string? Ip = null)
{
    public TeamActor? Actor => Team is null ? null : new TeamActor(Team.TeamId, UserId, Team.Role) { ActorName = Email, Ip = Ip };
    public TeamRole Role => Team?.Role ?? TeamRole.Viewer;
    public TierPlan Tier => TierPlans.Get(Team?.Tier ?? TierPlans.Free.Id);
}

/// <summary>Loads the <see cref="PortalContext"/> for the signed-in user, fresh from the database each time.</summary>
public sealed class PortalSession(AuthenticationStateProvider auth, IServiceScopeFactory scopes, ClientAddress client)
{
    public async Task<PortalContext?> LoadAsync() => await LoadAsync((await auth.GetAuthenticationStateAsync()).User);

    /// <summary>The context of <paramref name="user"/>, as signed in by the cookie (also outside a circuit, e.g. a download).</summary>
    public async Task<PortalContext?> LoadAsync(ClaimsPrincipal user)
    {
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var teams = scope.ServiceProvider.GetRequiredService<TeamService>();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
        var account = await users.FindByIdAsync(userId.ToString());
        if (account is null)
        {
            return null;
        }
        var memberships = await teams.GetMembershipsAsync(userId);
        var current = memberships.FirstOrDefault(m => m.TeamId == account.CurrentTeamId) ?? memberships.FirstOrDefault();
        return new PortalContext(userId, account.Email ?? "", memberships, current, client.Ip);
    }
}
