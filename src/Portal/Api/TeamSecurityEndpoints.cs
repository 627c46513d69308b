using Dataraven.Core.Accounts;
using Dataraven.Portal.Auth;

namespace Dataraven.Portal.Api;

public sealed record TeamSecurityRequest(bool? RequireTwoFactor);

public sealed record TeamSecurityResponse(bool RequireTwoFactor, DateTime? UpdatedAt, Guid? UpdatedBy)
{
    public static TeamSecurityResponse From(TeamSecurityView v) => new(v.RequireTwoFactor, v.UpdatedAt, v.UpdatedBy);
}

public static class TeamSecurityEndpoints
{
    public static void MapTeamSecurityEndpoints(this RouteGroupBuilder team)
    {
        var security = team.MapGroup("/security").WithTags("Team security");
        security.MapGet("/", async (HttpContext http, TeamSecurityPolicies policies, CancellationToken ct) =>
                TypedResults.Ok(TeamSecurityResponse.From(await policies.GetAsync(http.Actor(), ct))))
            .WithName("getTeamSecurity")
            .WithSummary("The team's sign-in policy: whether members need a second factor");

        security.MapPut("/", async (HttpContext http, TeamSecurityPolicies policies, CancellationToken ct) =>
                (await ApiJson.ReadAsync<TeamSecurityRequest>(http.Request, ct)
                    .ThenAsync(body => policies.SetAsync(http.Actor(), body.RequireTwoFactor, ct)))
                .ToOk(TeamSecurityResponse.From))
            .AcceptsJson<TeamSecurityRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole)
            .WithName("setTeamSecurity")
            .WithSummary("Require (or stop requiring) a second factor of the team's members (Owners only; API keys are not affected)");
    }
}
