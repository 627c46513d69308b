using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
    DateTime CreatedAt, Guid CreatedBy, DateTime UpdatedAt, Guid UpdatedBy, SecretHealthResponse Health,
    int? CredentialExpirationDays, DateTime CredentialsUpdatedAt, DateTime? CredentialsExpireAt,
    IReadOnlyList<OwnerResponse> Owners)
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
            s.CreatedAt, s.CreatedBy, s.UpdatedAt, s.UpdatedBy, SecretHealthResponse.From(HealthView.Of(s, now)),
            s.CredentialExpirationDays, s.CredentialsUpdatedAt, CredentialExpiry.Of(s), OwnerResponse.From(d.Owners));
    }
}

public static class SecretEndpoints
{
    public static void MapSecretEndpoints(this RouteGroupBuilder team)
    {
        var group = team.MapGroup("/secrets").WithTags("Secrets");

        group.MapPost("/", async (HttpContext http, SecretService service, CancellationToken ct) =>
                (await ApiJson.ReadAsync<CreateSecretRequest>(http.Request, ct).ThenAsync(body => service.CreateAsync(http.Actor(), body, ct)))
                    .ToCreated(s => LocationOf(http, s.Secret.Id), s => SecretResponse.From(s, http.Now())))
            .AcceptsJson<CreateSecretRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.TierLimitReached, ApiErrors.NotFound, ApiErrors.NameConflict,
                ApiErrors.ProviderUnreachable)
            .WithName("createSecret")
            .WithSummary("Store a secret: direct credentials (write-only) or vault references");

        group.MapGet("/", (HttpContext http, TeamListCache lists,
                [FromQuery(Name = CredentialExpiry.WithinDaysField)] string? expiringWithinDays,
                [FromQuery(Name = OwnerFilter.Parameter)] string? ownerId, CancellationToken ct) =>
            ListQuery.ServeAsync(http, lists, TeamListCache.Secrets, expiringWithinDays, ownerId,
                owner => http.RequestServices.GetRequiredService<SecretService>().ListAsync(http.Actor(), ct, owner),
                s => CredentialExpiry.Of(s.Secret), SecretResponse.From, (s, now) => HealthView.StatusChangesAt(s.Secret, now), ct))
            .ProducesErrors(ApiErrors.ValidationFailed)
            .WithName("listSecrets")
            .WithSummary("List the team's secrets; owner_id keeps those that user owns, expiring_within_days=N (0-3650) those whose credentials_expire_at is within N days or past");

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, SecretService service, CancellationToken ct) =>
                (await service.GetAsync(http.Actor(), id, ct)).ToOk(s => SecretResponse.From(s, http.Now())))
            .ProducesErrors(ApiErrors.NotFound)
            .WithName("getSecret")
            .WithSummary("Get a secret (never its values)");

        group.MapPatch("/{id:guid}", async (Guid id, HttpContext http, SecretService service, CancellationToken ct) =>
                (await ApiJson.ReadAsync<UpdateSecretRequest>(http.Request, ct).ThenAsync(body => service.UpdateAsync(http.Actor(), id, body, ct)))
                    .ToOk(s => SecretResponse.From(s, http.Now())))
            .AcceptsJson<UpdateSecretRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.NameConflict, ApiErrors.ProviderUnreachable)
            .WithName("updateSecret")
            .WithDescription("Absent fields stay as they are. credential_expiration_days is the exception to null meaning unchanged: "
                + "an explicit null removes the expiry policy, a number (1-3650) sets it, and leaving the field out keeps it.")
            .WithSummary("Update a secret: credentials only for direct secrets, field_mappings only for vault secrets");

        group.MapDelete("/{id:guid}", async (Guid id, HttpContext http, SecretService service, CancellationToken ct) =>
                (await service.DeleteAsync(http.Actor(), id, ct)).ToNoContent())
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.ProviderUnreachable)
            .WithName("deleteSecret")
            .WithSummary("Move a secret to the trash (record and stored credentials kept until restored or purged)");

        group.MapPost("/{id:guid}/check", async (Guid id, HttpContext http, SecretHealthService health, CancellationToken ct) =>
                (await ReadOptionalAsync<CheckSecretRequest>(http, ct).ThenAsync(target => health.CheckAsync(http.Actor(), id, target, ct)))
                    .ToOk(SecretCheckResponse.From))
            .Accepts<CheckSecretRequest>(isOptional: true, "application/json")
            .ProducesErrors(ApiErrors.ValidationFailed, ApiErrors.PayloadTooLarge, ApiErrors.UnsupportedMediaType,
                ApiErrors.ForbiddenRole, ApiErrors.NotFound)
            .WithName("checkSecret")
            .WithSummary("Check that the secret works (values read in memory only, never returned); the body, if given, replaces the remembered check target");
    }


    /// <summary>No body (no Content-Length and not chunked, or empty) is null; a body is read as <see cref="ApiJson.ReadAsync{T}"/> does.</summary>
    internal static async Task<Result<T?>> ReadOptionalAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false || http.Request.ContentLength == 0)
        {
            return (T?)null;
        }
        var body = await ApiJson.ReadAsync<T>(http.Request, ct);
        return body.IsSuccess ? body.Value : body.Problem!;
    }
}
