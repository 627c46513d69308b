using Dataraven.Core.ApiKeys;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Portal.Auth;

namespace Dataraven.Portal.Api;

public sealed record CreateApiKeyRequest(string? Name, string? Role);

public sealed record ApiKeyResponse(Guid Id, string Name, string Role, DateTime CreatedAt, DateTime? LastUsedAt)
{
    public static ApiKeyResponse From(ApiKeyView k) => new(k.Id, k.Name, k.Role.ToWire(), k.CreatedAt, k.LastUsedAt);
}

/// <summary>Only the creation answer carries the key.</summary>
public sealed record ApiKeyCreatedResponse(Guid Id, string Name, string Role, string Key, DateTime CreatedAt);

public sealed record TierLimitsBody(int VaultConnections, int Secrets);

public sealed record UsageResponse(string Tier, TierLimitsBody Limits, TierLimitsBody Usage)
{
    public static UsageResponse From(UsageReport r) => new(r.Tier.Id,
        new TierLimitsBody(r.Tier.MaxVaultConnections, r.Tier.MaxSecrets),
        new TierLimitsBody(r.VaultConnections, r.Secrets));
}

public sealed record ChangeTierRequest(string? Tier);

public static class TeamEndpoints
{
    public static void MapTeamEndpoints(this RouteGroupBuilder team)
    {
        var keys = team.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("/", async (HttpContext http, ApiKeyService service, CancellationToken ct) =>
        {
            var body = await ApiJson.ReadAsync<CreateApiKeyRequest>(http.Request, ct);
            if (!body.IsSuccess)
            {
                return body.Problem!.ToResult();
            }
            var created = await service.CreateAsync(http.Actor(), body.Value!.Name, body.Value.Role, ct);
            return created.ToResult(c => ApiProblems.Created($"{http.Request.Path}/{c.Key.Id}",
                new ApiKeyCreatedResponse(c.Key.Id, c.Key.Name, c.Key.Role.ToWire(), c.Plaintext, c.Key.CreatedAt)));
        })
        .AcceptsJson<CreateApiKeyRequest>()
        .Produces<ApiKeyCreatedResponse>(StatusCodes.Status201Created)
        .ProducesErrors(ApiErrors.ForbiddenRole)
        .WithSummary("Create an API key (the key is in this answer only)");

        keys.MapGet("/", async (HttpContext http, ApiKeyService service, CancellationToken ct) =>
            ApiProblems.Ok((await service.ListAsync(http.Actor(), ct)).Select(ApiKeyResponse.From).ToList()))
        .Produces<List<ApiKeyResponse>>()
        .WithSummary("List the team's API keys (never the keys themselves)");

        keys.MapDelete("/{id}", async (HttpContext http, string id, ApiKeyService service, CancellationToken ct) =>
            Guid.TryParse(id, out var keyId)
                ? (await service.DeleteAsync(http.Actor(), keyId, ct)).ToResult(_ => Results.NoContent())
                : new Core.Common.NotFoundProblem("API key").ToResult())
        .Produces(StatusCodes.Status204NoContent)
        .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound)
        .WithSummary("Delete an API key");

        team.MapGet("/usage", async (HttpContext http, TierLimits limits, CancellationToken ct) =>
            ApiProblems.Ok(UsageResponse.From(await limits.GetUsageAsync(http.Actor().TeamId, ct))))
        .WithTags("Plan")
        .Produces<UsageResponse>()
        .WithSummary("The team's tier, its limits and current usage");

        team.MapPut("/tier", async (HttpContext http, TierLimits limits, CancellationToken ct) =>
        {
            var body = await ApiJson.ReadAsync<ChangeTierRequest>(http.Request, ct);
            if (!body.IsSuccess)
            {
                return body.Problem!.ToResult();
            }
            return (await limits.ChangeTierAsync(http.Actor(), body.Value!.Tier, ct)).ToResult(r => ApiProblems.Ok(UsageResponse.From(r)));
        })
        .WithTags("Plan")
        .AcceptsJson<ChangeTierRequest>()
        .Produces<UsageResponse>()
        .ProducesErrors(ApiErrors.ForbiddenRole)
        .WithSummary("Change the tier (Owners only)");
    }
}
