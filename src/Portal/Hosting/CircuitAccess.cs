using Dataraven.Core.Common;
using Dataraven.Core.Teams;

namespace Dataraven.Portal.Hosting;

/// <summary>The member left the team (or was removed) while their page was open.</summary>
public sealed record AccessRevokedProblem(string TeamName)
    : Problem("forbidden_role", $"You no longer have access to {TeamName}. Nothing was changed.");

/// <summary>
/// The circuit's member as the database sees them now. A page's <see cref="PortalContext"/> is read when the
/// circuit starts; an Owner may remove the member or lower their role at any time after.
/// </summary>
public readonly record struct CircuitAccess(TeamActor? Actor, Problem? Problem, bool Changed)
{
    public bool IsSuccess => Problem is null;

    /// <param name="circuitActor">The member as the circuit knew them (role, team) when the page started.</param>
    public static async Task<CircuitAccess> CheckAsync(TeamActor? circuitActor, string? teamName, TeamService teams, CancellationToken ct = default)
    {
        if (circuitActor is null)
        {
            return new CircuitAccess(null, new NotFoundProblem("team"), false);
        }
        var current = await teams.GetActorAsync(circuitActor.UserId, circuitActor.TeamId, ct);
        if (current is null)
        {
            return new CircuitAccess(null, new AccessRevokedProblem(teamName ?? "this team"), true);
        }
        // Fresh role from the database; who acted and from where as the circuit knows it.
        return new CircuitAccess(circuitActor with { Role = current.Role }, null, current.Role != circuitActor.Role);
    }
}
