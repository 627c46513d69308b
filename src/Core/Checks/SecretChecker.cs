using Dataraven.Core.Checks.Storage;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.Checks;

/// <summary>
/// Reads a secret's values (credential store or vault references), fingerprints them, probes the storage service with them
/// and forgets them. The values live only in the local dictionary of one check, which is cleared when it ends.
/// </summary>
public sealed class SecretChecker(
    PortalDbContext db,
    ICredentialStore store,
    VaultProviderClients providers,
    IProviderReadMeter meter,
    ValueFingerprints fingerprints,
    StorageProbes probes,
    TimeProvider clock,
    ILogger<SecretChecker> logger) : ISecretChecker
{
    public Task<SecretCheck> CheckAsync(Secret secret, CheckTarget target, CancellationToken ct = default)
    {
        var fieldNames = FieldNamesOf(secret.SecretType, secret.AuthMethod, secret.IsDirect ? secret.CredentialFields : secret.FieldMappings.Select(m => m.FieldName));
        return secret.IsDirect
            ? CheckAsync(secret.SecretType, secret.AuthMethod, fieldNames, target,
                (values, token) => ReadStoredAsync(CredentialKey.ForSecret(secret.TeamId, secret.Id), fieldNames, values, token), ct)
            : CheckAsync(secret.SecretType, secret.AuthMethod, fieldNames, target,
                (values, token) => ResolveAsync(secret.TeamId, secret.VaultConnectionId!.Value, secret.FieldMappings, fieldNames, values, token), ct);
    }

    public Task<SecretCheck> CheckDraftAsync(SecretDraft draft, CheckTarget target, CancellationToken ct = default)
    {
        if (draft.Credentials is { } credentials)
        {
            var fieldNames = FieldNamesOf(draft.SecretType, draft.AuthMethod, credentials.Keys);
            return CheckAsync(draft.SecretType, draft.AuthMethod, fieldNames, target,
                (values, _) => Task.FromResult(TakeGiven(credentials, fieldNames, values)), ct);
        }
        var mappedNames = FieldNamesOf(draft.SecretType, draft.AuthMethod, draft.FieldMappings.Select(m => m.FieldName));
        return CheckAsync(draft.SecretType, draft.AuthMethod, mappedNames, target, (values, token) => draft.VaultConnectionId is { } connectionId
            ? ResolveAsync(draft.TeamId, connectionId, draft.FieldMappings, mappedNames, values, token)
            : Task.FromResult(FailAll(mappedNames, CheckStatus.Misconfigured, "Choose a vault connection for the mappings.")), ct);
    }

    /// <summary>Fills <c>values</c> with what could be read and returns the status of every field.</summary>
    private delegate Task<IReadOnlyList<FieldCheck>> ValueReader(Dictionary<string, string> values, CancellationToken ct);

    private async Task<SecretCheck> CheckAsync(string secretType, string authMethod, IReadOnlyList<string> fieldNames, CheckTarget target,
        ValueReader read, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var fields = await read(values, ct).ConfigureAwait(false);
            fields = await FingerprintAsync(fields, values, ct).ConfigureAwait(false);
            var storage = fields.All(f => f.Status == CheckStatus.Ok)
                ? await probes.ProbeAsync(secretType, authMethod, values, target, ct).ConfigureAwait(false)
                : StorageCheck.NotChecked("Not checked: every field must be read first.");

            var worst = CheckStatuses.Worst(fields.Select(f => f.Status).Append(storage.Status));
            var check = new SecretCheck(worst, clock.GetUtcNow().UtcDateTime, fields, storage, storage.ExpiresAt,
                worst == CheckStatus.Ok ? null : worst);
            logger.Log(worst == CheckStatus.Ok ? LogLevel.Information : LogLevel.Warning,
                "Check of {SecretType}/{AuthMethod}: {Status}; fields {Fields}; storage {Storage}",
                secretType, authMethod, worst.ToWire(), string.Join(", ", fields.Select(f => $"{f.FieldName}={f.Status.ToWire()}")), storage.Status.ToWire());
            return check;
        }
        finally
        {
            values.Clear();
        }
    }

    private async Task<IReadOnlyList<FieldCheck>> FingerprintAsync(IReadOnlyList<FieldCheck> fields, Dictionary<string, string> values, CancellationToken ct)
    {
        var result = new List<FieldCheck>(fields.Count);
        foreach (var field in fields)
        {
            result.Add(field.Status == CheckStatus.Ok && values.TryGetValue(field.FieldName, out var value)
                ? field with { Length = value.Length, Fingerprint = await fingerprints.FingerprintAsync(value, ct).ConfigureAwait(false) }
                : field);
        }
        return result;
    }

    private async Task<IReadOnlyList<FieldCheck>> ReadStoredAsync(CredentialKey key, IReadOnlyList<string> fieldNames,
        Dictionary<string, string> values, CancellationToken ct)
    {
        IReadOnlyDictionary<string, string>? stored;
        try
        {
            stored = await store.GetAsync(key, ct).ConfigureAwait(false);
        }
        catch (CredentialStoreUnavailableException ex)
        {
            return FailAll(fieldNames, CheckStatus.Unreachable, $"The credential store could not be read: {ex.Message}");
        }
        if (stored is null)
        {
            return FailAll(fieldNames, CheckStatus.Missing, "No value is stored for this secret: enter its credentials again.");
        }
        try
        {
            return TakeGiven(stored, fieldNames, values);
        }
        finally
        {
            if (stored is Dictionary<string, string> copy) copy.Clear();
        }
    }

    private static IReadOnlyList<FieldCheck> TakeGiven(IReadOnlyDictionary<string, string> given, IReadOnlyList<string> fieldNames,
        Dictionary<string, string> values)
    {
        var fields = new List<FieldCheck>(fieldNames.Count);
        foreach (var name in fieldNames)
        {
            if (given.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value))
            {
                values[name] = value;
                fields.Add(new FieldCheck(name, CheckStatus.Ok));
            }
            else
            {
                fields.Add(new FieldCheck(name, CheckStatus.Missing, Message: "No value for this field."));
            }
        }
        return fields;
    }

    private async Task<IReadOnlyList<FieldCheck>> ResolveAsync(Guid teamId, Guid connectionId, IReadOnlyList<FieldMapping> mappings,
        IReadOnlyList<string> fieldNames, Dictionary<string, string> values, CancellationToken ct)
    {
        var connection = await db.VaultConnections.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == connectionId && c.TeamId == teamId, ct).ConfigureAwait(false);
        if (connection is null)
        {
            return FailAll(fieldNames, CheckStatus.Misconfigured, "The vault connection does not exist in this team.");
        }

        IReadOnlyDictionary<string, string>? credentials;
        try
        {
            credentials = await store.GetAsync(CredentialKey.ForVaultConnection(teamId, connectionId), ct).ConfigureAwait(false);
        }
        catch (CredentialStoreUnavailableException ex)
        {
            return FailAll(fieldNames, CheckStatus.Unreachable, $"The credential store could not be read: {ex.Message}");
        }
        if (credentials is null)
        {
            return FailAll(fieldNames, CheckStatus.Rejected,
                $"The vault connection {connection.Name} has no stored credentials: rotate them.");
        }

        try
        {
            // A reference outside the connection's vault (its scope changed since the mapping was saved) is not read at all.
            var mapped = fieldNames
                .Select(name => (Field: name, Reference: mappings.FirstOrDefault(m => m.FieldName == name)?.Reference))
                .Select(m => (m.Field, m.Reference,
                    OutOfScope: string.IsNullOrWhiteSpace(m.Reference) ? null : ReferenceSyntax.OutOfScope(connection.VaultType, connection.Vault, m.Reference)))
                .ToList();
            var toRead = mapped.Where(m => !string.IsNullOrWhiteSpace(m.Reference) && m.OutOfScope is null)
                .Select(m => (m.Field, m.Reference)).ToList();
            IReadOnlyList<ReferenceRead> reads;
            if (toRead.Count == 0)
            {
                reads = [];
            }
            else if (!meter.TryTake(connection.VaultType, connection.Id, toRead.Count))
            {
                reads = ReferenceRead.FailAll([.. toRead.Select(m => m.Reference!)], CheckStatus.RateLimited,
                    $"This connection has used its {meter.BudgetPerHour(connection.VaultType)} {connection.VaultType.DisplayName()} reads of this hour; " +
                    "the check can run again next hour.");
            }
            else
            {
                reads = await providers
                    .ReadAsync(connection.VaultType, VaultConnectionService.SettingsOf(connection), credentials, [.. toRead.Select(m => m.Reference!)], ct)
                    .ConfigureAwait(false);
            }

            var fields = new List<FieldCheck>(fieldNames.Count);
            foreach (var (field, reference, outOfScope) in mapped)
            {
                if (outOfScope is not null)
                {
                    fields.Add(new FieldCheck(field, CheckStatus.Misconfigured, Message: outOfScope));
                    continue;
                }
                var index = toRead.FindIndex(m => m.Field == field);
                if (index < 0)
                {
                    fields.Add(new FieldCheck(field, CheckStatus.Missing, Message: "No reference is mapped to this field."));
                    continue;
                }
                var read = reads[index];
                if (read.Value is { } value) values[field] = value;
                fields.Add(new FieldCheck(field, read.Status, Message: read.Message));
            }
            return fields;
        }
        finally
        {
            if (credentials is Dictionary<string, string> copy) copy.Clear();
        }
    }

    /// <summary>The auth method's fields in catalog order; for an unknown auth method, the names the secret itself gives.</summary>
    private static IReadOnlyList<string> FieldNamesOf(string secretType, string authMethod, IEnumerable<string> given) =>
        SecretCatalog.FindAuthMethod(secretType, authMethod) is { } method ? [.. method.FieldNames] : [.. given.Distinct()];

    private static IReadOnlyList<FieldCheck> FailAll(IReadOnlyList<string> fieldNames, CheckStatus status, string message) =>
        [.. fieldNames.Select(name => new FieldCheck(name, status, Message: message))];
}
