using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;
using Dataraven.Core.VaultConnections;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Dataraven.Portal.Auth;

namespace Dataraven.Portal.Api;

/// <summary>The connection as the API shows it: settings only; its credentials never appear.</summary>
public sealed record VaultConnectionResponse(
    Guid Id, Guid TeamId, string Name, string? Description, string VaultType,
    string? Project, string? Config, string? ProjectId, string? Environment, string? SecretPath,
    string Status, DateTime? LastVerifiedAt, string? LastVerificationError, int SecretsCount,
    DateTime CreatedAt, Guid CreatedBy, DateTime UpdatedAt, string? Vault,
    int? CredentialExpirationDays, DateTime CredentialsUpdatedAt, DateTime? CredentialsExpireAt,
    IReadOnlyList<OwnerResponse> Owners)
{
    /// <param name="now">The moment the status is judged at: past <c>credentials_expire_at</c> it says expired.</param>
    public static VaultConnectionResponse From(VaultConnectionDetails d, DateTime now)
    {
        var c = d.Connection;
        return new(c.Id, c.TeamId, c.Name, c.Description, c.VaultType.ToWire(), c.Project, c.Config, c.ProjectId,
            c.Environment, c.SecretPath, VaultConnectionStatuses.Of(c, now).ToWire(), c.LastVerifiedAt, c.LastVerificationError, d.SecretsCount,
            c.CreatedAt, c.CreatedBy, c.UpdatedAt, c.Vault,
            c.CredentialExpirationDays, c.CredentialsUpdatedAt, CredentialExpiry.Of(c), OwnerResponse.From(d.Owners));
    }
}

public sealed record VerifyResponse(bool Verified, string? Error, DateTime CheckedAt);

/// <summary>One name a reference can point at (or a container to browse into); never a value.</summary>
public sealed record BrowseEntryResponse(string Name, string Kind, string Path, string? Reference);

public sealed record BrowseResponse(string Path, IReadOnlyList<BrowseEntryResponse> Entries)
{
    public static BrowseResponse From(VaultBrowseListing listing) =>
        new(listing.Path, listing.Entries.Select(e => new BrowseEntryResponse(e.Name, e.Kind, e.Path, e.Reference)).ToList());
}

public static class VaultConnectionEndpoints
{
    public static void MapVaultConnectionEndpoints(this RouteGroupBuilder team)
    {
        var group = team.MapGroup("/vault-connections").WithTags("Vault connections");

        group.MapPost("/", async (HttpContext http, VaultConnectionService service, CancellationToken ct) =>
                (await ApiJson.ReadAsync<CreateVaultConnectionRequest>(http.Request, ct).ThenAsync(body => service.CreateAsync(http.Actor(), body, ct)))
                    .ToCreated(c => LocationOf(http, c.Connection.Id), c => VaultConnectionResponse.From(c, http.Now())))
            .AcceptsJson<CreateVaultConnectionRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.TierLimitReached, ApiErrors.NameConflict,
                ApiErrors.ProviderRejected, ApiErrors.ProviderUnreachable, ApiErrors.ProviderBusy)
            .WithName("createVaultConnection")
            .WithSummary("Connect a vault (credentials are checked with the provider first unless verify is false)");

        group.MapGet("/", (HttpContext http, TeamListCache lists,
                [FromQuery(Name = CredentialExpiry.WithinDaysField)] string? expiringWithinDays,
                [FromQuery(Name = OwnerFilter.Parameter)] string? ownerId, CancellationToken ct) =>
            ListQuery.ServeAsync(http, lists, TeamListCache.VaultConnections, expiringWithinDays, ownerId,
                owner => http.RequestServices.GetRequiredService<VaultConnectionService>().ListAsync(http.Actor(), ct, owner),
                c => CredentialExpiry.Of(c.Connection), VaultConnectionResponse.From,
                (c, now) => HealthView.StatusChangesAt(CredentialExpiry.Of(c.Connection), now), ct))
            .ProducesErrors(ApiErrors.ValidationFailed)
            .WithName("listVaultConnections")
            .WithSummary("List the team's vault connections; owner_id keeps those that user owns, expiring_within_days=N (0-3650) those whose credentials_expire_at is within N days or past");

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, VaultConnectionService service, CancellationToken ct) =>
                (await service.GetAsync(http.Actor(), id, ct)).ToOk(c => VaultConnectionResponse.From(c, http.Now())))
            .WithName("getVaultConnection")
            .WithSummary("Get a vault connection");

        group.MapPatch("/{id:guid}", async (Guid id, HttpContext http, VaultConnectionService service, CancellationToken ct) =>
                (await ApiJson.ReadAsync<UpdateVaultConnectionRequest>(http.Request, ct).ThenAsync(body => service.UpdateAsync(http.Actor(), id, body, ct)))
                    .ToOk(c => VaultConnectionResponse.From(c, http.Now())))
            .AcceptsJson<UpdateVaultConnectionRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.NameConflict,
                ApiErrors.ProviderRejected, ApiErrors.ProviderUnreachable, ApiErrors.ProviderBusy)
            .WithName("updateVaultConnection")
            .WithDescription("Absent fields stay as they are. credential_expiration_days is the exception to null meaning unchanged: "
                + "an explicit null removes the expiry policy, a number (1-3650) sets it, and leaving the field out keeps it.")
            .WithSummary("Rename a vault connection, change its description or (1Password) its vault, which is verified first");

        group.MapDelete("/{id:guid}", async (Guid id, HttpContext http, VaultConnectionService service, CancellationToken ct) =>
                (await service.DeleteAsync(http.Actor(), id, ct)).ToNoContent())
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.InUse, ApiErrors.ProviderUnreachable)
            .WithName("deleteVaultConnection")
            .WithSummary("Move a vault connection to the trash (409 in_use while live secrets use it)");

        group.MapPost("/{id:guid}/verify", async (Guid id, HttpContext http, VaultConnectionService service, CancellationToken ct) =>
                (await service.VerifyAsync(http.Actor(), id, ct)).ToOk(v => new VerifyResponse(v.Verified, v.Error, v.CheckedAt)))
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.ProviderUnreachable, ApiErrors.ProviderBusy)
            .WithName("verifyVaultConnection")
            .WithSummary("Check the stored credentials with the provider and update the status");

        group.MapPost("/{id:guid}/rotate", async (Guid id, HttpContext http, VaultConnectionService service, CancellationToken ct) =>
                (await ApiJson.ReadAsync<RotateVaultConnectionRequest>(http.Request, ct).ThenAsync(body => service.RotateAsync(http.Actor(), id, body, ct)))
                    .ToOk(c => VaultConnectionResponse.From(c, http.Now())))
            .AcceptsJson<RotateVaultConnectionRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.ProviderRejected, ApiErrors.ProviderUnreachable,
                ApiErrors.ProviderBusy)
            .WithName("rotateVaultConnection")
            .WithSummary("Replace the connection's credentials (checked with the provider first; on failure the old ones stay)");

        group.MapGet("/{id:guid}/browse", async (Guid id, string? path, HttpContext http, VaultBrowseService service, CancellationToken ct) =>
                (await service.BrowseAsync(http.Actor(), id, path, ct)).ToOk(BrowseResponse.From))
            .ProducesErrors(ApiErrors.ValidationFailed, ApiErrors.ForbiddenRole, ApiErrors.NotFound, ApiErrors.ProviderRejected,
                ApiErrors.ProviderUnreachable, ApiErrors.ProviderBusy)
            .WithName("browseVaultConnection")
            .WithSummary("List the names a reference can point at under a path (vaults, items, fields or secret names; never a value)");
    }


    /// <summary>Where a resource created by this POST lives: the request's path and the new id.</summary>
    internal static string LocationOf(HttpContext http, Guid id) => $"{http.Request.Path.Value!.TrimEnd('/')}/{id}";
}
