using Dataraven.Core.Secrets;
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
    DateTime CreatedAt, Guid CreatedBy, DateTime UpdatedAt, Guid UpdatedBy)
{
    public const string DirectSource = "direct";
    public const string VaultSource = "vault";

    public static SecretResponse From(SecretDetails d)
    {
        var s = d.Secret;
        return new(s.Id, s.TeamId, s.Name, s.Description, s.SecretType, s.AuthMethod, s.IsDirect ? DirectSource : VaultSource,
            s.VaultConnectionId, d.VaultConnectionName, d.VaultType?.ToWire(),
            s.FieldMappings.Select(m => new FieldMappingResponse(m.FieldName, m.Reference)).ToList(),
            s.IsDirect ? s.CredentialFields : s.FieldMappings.Select(m => m.FieldName).ToList(),
            s.CreatedAt, s.CreatedBy, s.UpdatedAt, s.UpdatedBy);
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
                        ApiProblems.Created($"{http.Request.Path.Value!.TrimEnd('/')}/{s.Secret.Id}", SecretResponse.From(s)))))
            .AcceptsJson<CreateSecretRequest>()
            .Produces<SecretResponse>(StatusCodes.Status201Created)
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.TierLimitReached, ApiErrors.NotFound, ApiErrors.NameConflict,
                ApiErrors.ProviderUnreachable)
            .WithSummary("Store a secret: direct credentials (write-only) or vault references");

        group.MapGet("/", async (HttpContext http, SecretService service, CancellationToken ct) =>
                ApiProblems.Ok((await service.ListAsync(http.Actor(), ct)).Select(SecretResponse.From).ToList()))
            .Produces<List<SecretResponse>>()
            .WithSummary("List the team's secrets");

        group.MapGet("/{id}", async (HttpContext http, string id, SecretService service, CancellationToken ct) =>
                await WithId(id, async guid => (await service.GetAsync(http.Actor(), guid, ct)).ToResult(s => ApiProblems.Ok(SecretResponse.From(s)))))
            .Produces<SecretResponse>()
            .ProducesErrors(ApiErrors.NotFound)
            .WithSummary("Get a secret (never its values)");

        group.MapPatch("/{id}", async (HttpContext http, string id, SecretService service, CancellationToken ct) =>
                await WithId(id, guid => WithBody<UpdateSecretRequest>(http, ct, async body =>
                    (await service.UpdateAsync(http.Actor(), guid, body, ct)).ToResult(s => ApiProblems.Ok(SecretResponse.From(s))))))
            .AcceptsJson<UpdateSecretRequest>()
            .Produces<SecretResponse>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.NameConflict, ApiErrors.ProviderUnreachable)
            .WithSummary("Update a secret: credentials only for direct secrets, field_mappings only for vault secrets");

        group.MapDelete("/{id}", async (HttpContext http, string id, SecretService service, CancellationToken ct) =>
                await WithId(id, async guid => (await service.DeleteAsync(http.Actor(), guid, ct)).ToResult(_ => Results.NoContent())))
            .Produces(StatusCodes.Status204NoContent)
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.ProviderUnreachable)
            .WithSummary("Delete a secret and its stored credentials");
    }
}
