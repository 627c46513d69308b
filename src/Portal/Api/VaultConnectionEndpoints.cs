using Dataraven.Core.Common;
using Dataraven.Core.VaultConnections;
using Dataraven.Portal.Auth;

namespace Dataraven.Portal.Api;

/// <summary>The connection as the API shows it: settings only; its credentials never appear.</summary>
public sealed record VaultConnectionResponse(
    Guid Id, Guid TeamId, string Name, string? Description, string VaultType,
    string? Project, string? Config, string? ProjectId, string? Environment, string? SecretPath,
    string Status, DateTime? LastVerifiedAt, string? LastVerificationError, int SecretsCount,
    DateTime CreatedAt, Guid CreatedBy, DateTime UpdatedAt)
{
    public static VaultConnectionResponse From(VaultConnectionDetails d)
    {
        var c = d.Connection;
        return new(c.Id, c.TeamId, c.Name, c.Description, c.VaultType.ToWire(), c.Project, c.Config, c.ProjectId,
            c.Environment, c.SecretPath, c.Status.ToWire(), c.LastVerifiedAt, c.LastVerificationError, d.SecretsCount,
            c.CreatedAt, c.CreatedBy, c.UpdatedAt);
    }
}

public sealed record VerifyResponse(bool Verified, string? Error, DateTime CheckedAt);

public static class VaultConnectionEndpoints
{
    public static void MapVaultConnectionEndpoints(this RouteGroupBuilder team)
    {
        var group = team.MapGroup("/vault-connections").WithTags("Vault connections");

        group.MapPost("/", async (HttpContext http, VaultConnectionService service, CancellationToken ct) =>
                await WithBody<CreateVaultConnectionRequest>(http, ct, async body =>
                    (await service.CreateAsync(http.Actor(), body, ct)).ToResult(c =>
                        ApiProblems.Created($"{http.Request.Path.Value!.TrimEnd('/')}/{c.Connection.Id}", VaultConnectionResponse.From(c)))))
            .AcceptsJson<CreateVaultConnectionRequest>()
            .Produces<VaultConnectionResponse>(StatusCodes.Status201Created)
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.TierLimitReached, ApiErrors.NameConflict,
                ApiErrors.ProviderRejected, ApiErrors.ProviderUnreachable, ApiErrors.ProviderBusy)
            .WithSummary("Connect a vault (credentials are checked with the provider first unless verify is false)");

        group.MapGet("/", (HttpContext http, TeamListCache lists, CancellationToken ct) =>
                lists.ServeAsync(http, TeamListCache.VaultConnections, async _ =>
                    ((await http.RequestServices.GetRequiredService<VaultConnectionService>().ListAsync(http.Actor(), ct)).Select(VaultConnectionResponse.From).ToList(), (DateTime?)null), ct))
            .Produces<List<VaultConnectionResponse>>()
            .WithSummary("List the team's vault connections");

        group.MapGet("/{id}", async (HttpContext http, string id, VaultConnectionService service, CancellationToken ct) =>
                await WithId(id, async guid => (await service.GetAsync(http.Actor(), guid, ct)).ToResult(c => ApiProblems.Ok(VaultConnectionResponse.From(c)))))
            .Produces<VaultConnectionResponse>()
            .WithSummary("Get a vault connection");

        group.MapPatch("/{id}", async (HttpContext http, string id, VaultConnectionService service, CancellationToken ct) =>
                await WithId(id, guid => WithBody<UpdateVaultConnectionRequest>(http, ct, async body =>
                    (await service.UpdateAsync(http.Actor(), guid, body, ct)).ToResult(c => ApiProblems.Ok(VaultConnectionResponse.From(c))))))
            .AcceptsJson<UpdateVaultConnectionRequest>()
            .Produces<VaultConnectionResponse>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.NameConflict)
            .WithSummary("Rename a vault connection or change its description");

        group.MapDelete("/{id}", async (HttpContext http, string id, VaultConnectionService service, CancellationToken ct) =>
                await WithId(id, async guid => (await service.DeleteAsync(http.Actor(), guid, ct)).ToResult(_ => Results.NoContent())))
            .Produces(StatusCodes.Status204NoContent)
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.InUse, ApiErrors.ProviderUnreachable)
            .WithSummary("Delete a vault connection and its stored credentials (409 in_use while secrets use it)");

        group.MapPost("/{id}/verify", async (HttpContext http, string id, VaultConnectionService service, CancellationToken ct) =>
                await WithId(id, async guid => (await service.VerifyAsync(http.Actor(), guid, ct))
                    .ToResult(v => ApiProblems.Ok(new VerifyResponse(v.Verified, v.Error, v.CheckedAt)))))
            .Produces<VerifyResponse>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.ProviderUnreachable, ApiErrors.ProviderBusy)
            .WithSummary("Check the stored credentials with the provider and update the status");

        group.MapPost("/{id}/rotate", async (HttpContext http, string id, VaultConnectionService service, CancellationToken ct) =>
                await WithId(id, guid => WithBody<RotateVaultConnectionRequest>(http, ct, async body =>
                    (await service.RotateAsync(http.Actor(), guid, body, ct)).ToResult(c => ApiProblems.Ok(VaultConnectionResponse.From(c))))))
            .AcceptsJson<RotateVaultConnectionRequest>()
            .Produces<VaultConnectionResponse>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.ProviderRejected, ApiErrors.ProviderUnreachable,
                ApiErrors.ProviderBusy)
            .WithSummary("Replace the connection's credentials (checked with the provider first; on failure the old ones stay)");
    }

    /// <summary>Reads the body, answering 400/413 itself when it is not acceptable.</summary>
    internal static async Task<IResult> WithBody<T>(HttpContext http, CancellationToken ct, Func<T, Task<IResult>> handle) where T : class
    {
        var body = await ApiJson.ReadAsync<T>(http.Request, ct);
        return body.IsSuccess ? await handle(body.Value!) : body.Problem!.ToResult();
    }

    /// <summary>An id that is not a UUID names nothing: 404.</summary>
    internal static Task<IResult> WithId(string id, Func<Guid, Task<IResult>> handle) =>
        Guid.TryParse(id, out var guid) ? handle(guid) : Task.FromResult(new NotFoundProblem().ToResult());
}
