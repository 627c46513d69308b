using Dataraven.Portal.Auth;

namespace Dataraven.Portal.Api;

/// <summary>The /v1 API: one team's endpoints under its id, behind the team's API key.</summary>
public static class PortalApi
{
    /// <summary>
    /// Ids in paths are UUIDs (route constraints): a path with a malformed one matches no endpoint and is answered
    /// 404 not_found as problem+json by the /v1 status-code page, like an unknown id (DESIGN.md).
    /// </summary>
    public const string TeamRoute = "/v1/teams/{team_id:guid}";

    public static RouteGroupBuilder MapTeamApi(this IEndpointRouteBuilder app)
    {
        var team = app.MapGroup(TeamRoute).RequireTeamActor().DisableAntiforgery()
            .ProducesErrors(ApiErrors.Unauthenticated, ApiErrors.NotFound, ApiErrors.RateLimited);
        team.MapTeamEndpoints();
        team.MapInvitationEndpoints();
        team.MapCredentialRequestEndpoints();
        team.MapWebhookEndpoints();
        team.MapVaultConnectionEndpoints();
        team.MapSecretEndpoints();
        team.MapTrashEndpoints();
        team.MapAuditEndpoints();
        team.MapTeamSecurityEndpoints();
        return team;
    }
}
