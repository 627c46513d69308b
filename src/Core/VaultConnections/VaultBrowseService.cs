using Dataraven.Core.Audit;
using Dataraven.Core.Checks;
using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Caching.Memory;

namespace Dataraven.Core.VaultConnections;

/// <summary>The answer of <c>GET .../vault-connections/{id}/browse?path=</c>: names, kinds and references, never a value.</summary>
public sealed record VaultBrowseListing(string Path, IReadOnlyList<BrowseEntry> Entries);

/// <summary>
/// Browsing what a connection's references can point at. Each provider's client knows its paths and their read cost; reads
/// count against the connection's hourly budget (1Password) and answers are kept <see cref="CacheFor"/> per connection and path.
/// </summary>
public sealed class VaultBrowseService(
    ICredentialStore store,
    VaultProviderClients providers,
    IProviderReadMeter meter,
    IMemoryCache cache,
    TimeProvider time,
    TeamAccess access)
{
    public const string PathField = "path";
    public const int PathMaxLength = 1000;
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    private static readonly TeamRecordKind<VaultConnection> Connection = new("vault connection", c => AuditTarget.VaultConnection(c.Id, c.Name));

    public async Task<Result<VaultBrowseListing>> BrowseAsync(TeamActor actor, Guid id, string? path, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, Connection, id, TeamOperations.BrowseVaultConnection, ct);
        if (found.Problem is { } refused)
        {
            return refused;
        }
        var connection = found.Value!;
        var normalized = (path ?? "").Trim().Trim('/');
        if (normalized.Length > PathMaxLength)
        {
            return ValidationProblem.For(PathField, $"Path must be at most {PathMaxLength} characters.");
        }
        var settings = VaultConnectionService.SettingsOf(connection);
        var client = providers.Get(connection.VaultType);
        var plan = client.PlanBrowse(settings, normalized);
        if (plan.PathError is { } pathError)
        {
            return ValidationProblem.For(PathField, pathError);
        }

        // The scope is part of the key: a changed vault never serves the old scope's answer.
        var key = (nameof(VaultBrowseService), connection.Id, connection.Vault, normalized);
        if (cache.TryGetValue(key, out VaultBrowseListing? cached) && cached is not null)
        {
            return cached;
        }
        if (plan.Reads > 0 && !meter.TryTake(connection.VaultType, connection.Id, plan.Reads))
        {
            var now = time.GetUtcNow();
            var nextHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
            return new ProviderBusyProblem(
                $"This connection has used its {meter.BudgetPerHour(connection.VaultType)} {connection.VaultType.DisplayName()} reads for this hour; " +
                "browse again after the hour turns.", nextHour - now);
        }
        var credentials = await store.GetAsync(CredentialKey.ForVaultConnection(actor.TeamId, id), ct);
        if (credentials is null)
        {
            return new ProviderRejectedProblem("The stored credentials are missing. Rotate the credentials to repair this connection.");
        }
        var result = await providers.BrowseAsync(connection.VaultType, settings, credentials, normalized, ct);
        if (VaultConnectionService.ProblemOf(result.Check) is { } problem)
        {
            return problem;
        }
        var listing = new VaultBrowseListing(normalized, result.Entries);
        cache.Set(key, listing, CacheFor);
        return listing;
    }
}
