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
                (await ApiJson.ReadAsync<CreateApiKeyRequest>(http.Request, ct).ThenAsync(body => service.CreateAsync(http.Actor(), body.Name, body.Role, ct)))
                    .ToCreated(c => $"{http.Request.Path}/{c.Key.Id}",
                        c => new ApiKeyCreatedResponse(c.Key.Id, c.Key.Name, c.Key.Role.ToWire(), c.Plaintext, c.Key.CreatedAt)))
            .AcceptsJson<CreateApiKeyRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole)
            .WithName("createApiKey")
            .WithSummary("Create an API key (the key is in this answer only)");

        keys.MapGet("/", async (HttpContext http, ApiKeyService service, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(http.Actor(), ct)).Select(ApiKeyResponse.From).ToList()))
            .WithName("listApiKeys")
            .WithSummary("List the team's API keys (never the keys themselves)");

        keys.MapDelete("/{id:guid}", async (Guid id, HttpContext http, ApiKeyService service, CancellationToken ct) =>
                (await service.DeleteAsync(http.Actor(), id, ct)).ToNoContent())
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound)
            .WithName("deleteApiKey")
            .WithSummary("Delete an API key");

        team.MapGet("/usage", async (HttpContext http, TierLimits limits, CancellationToken ct) =>
                TypedResults.Ok(UsageResponse.From(await limits.GetUsageAsync(http.Actor().TeamId, ct))))
            .WithTags("Plan")
            .WithName("getUsage")
            .WithSummary("The team's tier, its limits and current usage");

        team.MapPut("/tier", async (HttpContext http, TierLimits limits, CancellationToken ct) =>
                (await ApiJson.ReadAsync<ChangeTierRequest>(http.Request, ct).ThenAsync(body => limits.ChangeTierAsync(http.Actor(), body.Tier, ct)))
                    .ToOk(UsageResponse.From))
            .WithTags("Plan")
            .AcceptsJson<ChangeTierRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole)
            .WithName("changeTier")
            .WithSummary("Change the tier (Owners only)");
    }
}
