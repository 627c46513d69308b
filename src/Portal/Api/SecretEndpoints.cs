using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Microsoft.AspNetCore.Http.Features;
using Dataraven.Core.VaultConnections;
using Dataraven.Portal.Auth;
using static Dataraven.Portal.Api.VaultConnectionEndpoints;

namespace Dataraven.Portal.Api;

public sealed record FieldMappingResponse(string FieldName, string Reference);

/// <summary>A secret as the API shows it: field names, never values.</summary>
public sealed record SecretResponse(
    Guid Id, Guid TeamId, string Name, string? Description, string SecretType, string AuthMethod, string Source,
    Guid? VaultConnectionId, string? VaultConnectionName, string? VaultType,
    IReadOnlyList<FieldMappingResponse> FieldMappings, IReadOnlyList<string> CredentialFields,
    DateTime CreatedAt, Guid CreatedBy, DateTime UpdatedAt, Guid UpdatedBy, SecretHealthResponse Health)
{
    public const string DirectSource = "direct";
    public const string VaultSource = "vault";

    public static SecretResponse From(SecretDetails d, DateTime now)
    {
        var s = d.Secret;
        return new(s.Id, s.TeamId, s.Name, s.Description, s.SecretType, s.AuthMethod, s.IsDirect ? DirectSource : VaultSource,
            s.VaultConnectionId, d.VaultConnectionName, d.VaultType?.ToWire(),
            s.FieldMappings.Select(m => new FieldMappingResponse(m.FieldName, m.Reference)).ToList(),
            s.IsDirect ? s.CredentialFields : s.FieldMappings.Select(m => m.FieldName).ToList(),
            s.CreatedAt, s.CreatedBy, s.UpdatedAt, s.UpdatedBy, SecretHealthResponse.From(HealthView.Of(s.Health, now)));
    }
}

public static class SecretEndpoints
{
    public static void MapSecretEndpoints(this RouteGroupBuilder team)
    {
        var group = team.MapGroup("/secrets").WithTags("Secrets");

        group.MapPost("/", async (HttpContext http, SecretService service, CancellationToken ct) =>
                await WithBody<CreateSecretRequest>(http, ct, async body =>
                    (await service.CreateAsync(http.Actor(), body, ct)).ToResult(s =>
                        ApiProblems.Created($"{http.Request.Path.Value!.TrimEnd('/')}/{s.Secret.Id}", SecretResponse.From(s, Now(http))))))
            .AcceptsJson<CreateSecretRequest>()
            .Produces<SecretResponse>(StatusCodes.Status201Created)
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.TierLimitReached, ApiErrors.NotFound, ApiErrors.NameConflict,
                ApiErrors.ProviderUnreachable)
            .WithSummary("Store a secret: direct credentials (write-only) or vault references");

        // The service (and its DbContext) is resolved only when the cache has no answer.
        group.MapGet("/", (HttpContext http, TeamListCache lists, CancellationToken ct) =>
                lists.ServeAsync(http, TeamListCache.Secrets, async now =>
                {
                    var secrets = await http.RequestServices.GetRequiredService<SecretService>().ListAsync(http.Actor(), ct);
                    return (secrets.Select(s => SecretResponse.From(s, now)).ToList(),
                        secrets.Select(s => HealthView.StatusChangesAt(s.Secret.Health, now)).Min());
                }, ct))
            .Produces<List<SecretResponse>>()
            .WithSummary("List the team's secrets");

        group.MapGet("/{id}", async (HttpContext http, string id, SecretService service, CancellationToken ct) =>
                await WithId(id, async guid => (await service.GetAsync(http.Actor(), guid, ct)).ToResult(s => ApiProblems.Ok(SecretResponse.From(s, Now(http))))))
            .Produces<SecretResponse>()
            .ProducesErrors(ApiErrors.NotFound)
            .WithSummary("Get a secret (never its values)");

        group.MapPatch("/{id}", async (HttpContext http, string id, SecretService service, CancellationToken ct) =>
                await WithId(id, guid => WithBody<UpdateSecretRequest>(http, ct, async body =>
                    (await service.UpdateAsync(http.Actor(), guid, body, ct)).ToResult(s => ApiProblems.Ok(SecretResponse.From(s, Now(http)))))))
            .AcceptsJson<UpdateSecretRequest>()
            .Produces<SecretResponse>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.NameConflict, ApiErrors.ProviderUnreachable)
            .WithSummary("Update a secret: credentials only for direct secrets, field_mappings only for vault secrets");

        group.MapDelete("/{id}", async (HttpContext http, string id, SecretService service, CancellationToken ct) =>
                await WithId(id, async guid => (await service.DeleteAsync(http.Actor(), guid, ct)).ToResult(_ => Results.NoContent())))
            .Produces(StatusCodes.Status204NoContent)
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.ProviderUnreachable)
            .WithSummary("Delete a secret and its stored credentials");

        group.MapPost("/{id}/check", async (HttpContext http, string id, SecretHealthService health, CancellationToken ct) =>
                await WithId(id, guid => WithOptionalBody<CheckSecretRequest>(http, ct, async target =>
                    (await health.CheckAsync(http.Actor(), guid, target, ct)).ToResult(c => ApiProblems.Ok(SecretCheckResponse.From(c))))))
            .Accepts<CheckSecretRequest>(isOptional: true, "application/json")
            .Produces<SecretCheckResponse>()
            .ProducesErrors(ApiErrors.ValidationFailed, ApiErrors.PayloadTooLarge, ApiErrors.UnsupportedMediaType,
                ApiErrors.ForbiddenRole, ApiErrors.NotFound)
            .WithSummary("Check that the secret works (values read in memory only, never returned); the body, if given, replaces the remembered check target");
    }

    private static DateTime Now(HttpContext http) => Clock.UtcNow(http.RequestServices.GetRequiredService<TimeProvider>());

    /// <summary>No body (no Content-Length and not chunked, or empty) is null; a body is read as <see cref="WithBody{T}"/> does.</summary>
    private static Task<IResult> WithOptionalBody<T>(HttpContext http, CancellationToken ct, Func<T?, Task<IResult>> handle) where T : class =>
        http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false || http.Request.ContentLength == 0
            ? handle(null)
            : WithBody<T>(http, ct, body => handle(body));
}
