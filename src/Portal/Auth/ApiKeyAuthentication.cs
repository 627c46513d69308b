using System.Security.Claims;
using System.Text.Encodings.Web;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Teams;
using Dataraven.Portal.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Dataraven.Portal.Auth;

/// <summary><c>Authorization: Bearer dr_&lt;key_id&gt;_&lt;secret&gt;</c> for /v1.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Unsupported authorization scheme.");
        }
        var actor = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (actor is null)
        {
            // Never echo the presented key.
            return AuthenticateResult.Fail("Invalid API key.");
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(PortalClaims.TeamId, actor.TeamId.ToString()),
            new Claim(PortalClaims.UserId, actor.UserId.ToString()),
            new Claim(PortalClaims.Role, actor.Role.ToWire()),
            new Claim(PortalClaims.ApiKeyId, actor.ApiKeyId!.Value.ToString()),
            new Claim(PortalClaims.ApiKeyName, actor.ActorName ?? ""),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        new UnauthenticatedProblem().ToResult().ExecuteAsync(Context);
}

public static class PortalClaims
{
    public const string TeamId = "dr:team_id";
    public const string UserId = "dr:user_id";
    public const string Role = "dr:role";
    public const string ApiKeyId = "dr:api_key_id";
    public const string ApiKeyName = "dr:api_key_name";
}

public static class ApiActor
{
    private const string ItemKey = "dr:actor";

    /// <summary>
    /// Resolves the acting key for <c>/v1/teams/{team_id}</c>: another team's id (or a malformed one)
    /// answers 404, as if the team did not exist.
    /// </summary>
    public static RouteGroupBuilder RequireTeamActor(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            var user = http.User;
            var routeTeam = http.Request.RouteValues["team_id"] as string;
            if (!Guid.TryParse(routeTeam, out var teamId) ||
                user.FindFirstValue(PortalClaims.TeamId) is not { } keyTeam || Guid.Parse(keyTeam) != teamId)
            {
                return new Core.Common.NotFoundProblem("team").ToResult();
            }
            TeamRoles.TryParse(user.FindFirstValue(PortalClaims.Role), out var role);
            http.Items[ItemKey] = new TeamActor(teamId, Guid.Parse(user.FindFirstValue(PortalClaims.UserId)!), role,
                Guid.Parse(user.FindFirstValue(PortalClaims.ApiKeyId)!))
            {
                ActorName = user.FindFirstValue(PortalClaims.ApiKeyName),
                Ip = Hosting.ClientAddress.Of(http),
            };
            return await next(ctx);
        });
        return group;
    }

    public static TeamActor Actor(this HttpContext http) =>
        http.Items[ItemKey] as TeamActor ?? throw new InvalidOperationException("RequireTeamActor did not run.");
}
