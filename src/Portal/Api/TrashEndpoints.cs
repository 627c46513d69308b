using Dataraven.Core.Common;
using Dataraven.Core.Trash;
using Dataraven.Portal.Auth;

namespace Dataraven.Portal.Api;

public sealed record TrashItemResponse(string Type, Guid Id, string Name, DateTime DeletedAt, Guid? DeletedBy, DateTime PurgeAt)
{
    public static TrashItemResponse From(TrashItem i) => new(i.Type, i.Id, i.Name, i.DeletedAt, i.DeletedBy, i.PurgeAt);
}

public sealed record TrashResponse(IReadOnlyList<TrashItemResponse> Items);

/// <summary>The team's trash: what DELETE moved there, restore (Owner, Admin) and purge (Owner). DESIGN.md, soft delete.</summary>
public static class TrashEndpoints
{
    public static void MapTrashEndpoints(this RouteGroupBuilder team)
    {
        team.MapGet("/trash", async (HttpContext http, TrashService trash, CancellationToken ct) =>
                TypedResults.Ok(new TrashResponse((await trash.ListAsync(http.Actor(), ct)).Select(TrashItemResponse.From).ToList())))
            .WithTags("Trash")
            .WithName("listTrash")
            .WithSummary("List the team's trash: deleted secrets and vault connections until their purge date");

        team.MapDelete("/trash/{id:guid}", async (Guid id, HttpContext http, TrashService trash, CancellationToken ct) =>
                (await trash.PurgeAsync(http.Actor(), id, ct)).ToNoContent())
            .WithTags("Trash")
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.InUse, ApiErrors.ProviderUnreachable)
            .WithName("purgeTrashItem")
            .WithSummary("Purge a trashed secret or vault connection now: its record, then its stored credentials");

        team.MapPost("/secrets/{id:guid}/restore", async (Guid id, HttpContext http, TrashService trash, CancellationToken ct) =>
                (await SecretEndpoints.ReadOptionalAsync<RestoreRequest>(http, ct).ThenAsync(body => trash.RestoreSecretAsync(http.Actor(), id, body, ct)))
                    .ToOk(s => SecretResponse.From(s, http.Now())))
            .WithTags("Trash")
            .Accepts<RestoreRequest>(isOptional: true, "application/json")
            .ProducesErrors(ApiErrors.ValidationFailed, ApiErrors.PayloadTooLarge, ApiErrors.UnsupportedMediaType, ApiErrors.ForbiddenRole,
                ApiErrors.TierLimitReached, ApiErrors.NotFound, ApiErrors.NameConflict, ApiErrors.VaultConnectionInTrash)
            .WithName("restoreSecret")
            .WithSummary("Restore a secret from the trash, credentials intact (optionally under a new name)");

        team.MapPost("/vault-connections/{id:guid}/restore", async (Guid id, HttpContext http, TrashService trash, CancellationToken ct) =>
                (await SecretEndpoints.ReadOptionalAsync<RestoreRequest>(http, ct).ThenAsync(body => trash.RestoreVaultConnectionAsync(http.Actor(), id, body, ct)))
                    .ToOk(c => VaultConnectionResponse.From(c, http.Now())))
            .WithTags("Trash")
            .Accepts<RestoreRequest>(isOptional: true, "application/json")
            .ProducesErrors(ApiErrors.ValidationFailed, ApiErrors.PayloadTooLarge, ApiErrors.UnsupportedMediaType, ApiErrors.ForbiddenRole,
                ApiErrors.TierLimitReached, ApiErrors.NotFound, ApiErrors.NameConflict)
            .WithName("restoreVaultConnection")
            .WithSummary("Restore a vault connection from the trash, credentials intact (optionally under a new name)");
    }
}
