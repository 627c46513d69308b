namespace Dataraven.Core.CredentialStore;

public enum CredentialOwnerKind
{
    VaultConnection,
    Secret,
}

/// <summary>
/// Names the stored credential of one object of one team; with <see cref="StagedVersion"/>, a replacement
/// written before the database commit that makes it current (see <see cref="CredentialRecords.SaveAsync"/>).
/// </summary>
public readonly record struct CredentialKey(Guid TeamId, CredentialOwnerKind Kind, Guid ObjectId)
{
    /// <summary>The record's <c>UpdatedAt</c> in microseconds (what every database keeps) once the replacement is committed.</summary>
    public long? StagedVersion { get; init; }

    public bool IsStaged => StagedVersion is not null;

    public CredentialKey Current => this with { StagedVersion = null };

    /// <summary>The key of a replacement that becomes current when the record is saved with <paramref name="updatedAt"/>.</summary>
    public CredentialKey StagedFor(DateTime updatedAt) => this with { StagedVersion = VersionOf(updatedAt) };

    public static long VersionOf(DateTime updatedAt) => updatedAt.Ticks / 10;

    public static CredentialKey ForVaultConnection(Guid teamId, Guid id) => new(teamId, CredentialOwnerKind.VaultConnection, id);

    public static CredentialKey ForSecret(Guid teamId, Guid id) => new(teamId, CredentialOwnerKind.Secret, id);

    private string KindSegment => Kind == CredentialOwnerKind.VaultConnection ? "vault-connections" : "secrets";

    /// <summary><c>teams/{team_id}/vault-connections/{id}</c> or <c>teams/{team_id}/secrets/{id}</c>, staged ones with <c>.v{version}</c>.</summary>
    public string RelativePath => $"teams/{TeamId:D}/{KindSegment}/{ObjectId:D}{(StagedVersion is { } v ? $".v{v}" : "")}";

    public static bool TryParse(string relativePath, out CredentialKey key)
    {
        key = default;
        var parts = relativePath.Trim('/').Split('/');
        if (parts.Length != 4 || parts[0] != "teams" || !Guid.TryParse(parts[1], out var team))
        {
            return false;
        }
        var last = parts[3].Split(".v");
        long? version = null;
        if (!Guid.TryParse(last[0], out var id) || last.Length > 2)
        {
            return false;
        }
        if (last.Length == 2)
        {
            if (!long.TryParse(last[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v))
            {
                return false;
            }
            version = v;
        }
        CredentialOwnerKind? kind = parts[2] switch
        {
            "vault-connections" => CredentialOwnerKind.VaultConnection,
            "secrets" => CredentialOwnerKind.Secret,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }
        key = new CredentialKey(team, kind.Value, id) { StagedVersion = version };
        return true;
    }

    public override string ToString() => RelativePath;
}

/// <summary>
/// Write-only storage for credential fields (a small name -> value map per object).
/// Implementations never put a value into a log line or an exception message.
/// </summary>
public interface ICredentialStore
{
    /// <summary>Creates or overwrites the value stored under <paramref name="key"/>.</summary>
    Task PutAsync(CredentialKey key, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default);

    /// <summary>The stored fields, or null when nothing is stored under <paramref name="key"/>.</summary>
    Task<IReadOnlyDictionary<string, string>?> GetAsync(CredentialKey key, CancellationToken ct = default);

    /// <summary>Deletes the value; deleting a missing value is not an error.</summary>
    Task DeleteAsync(CredentialKey key, CancellationToken ct = default);

    /// <summary>Every key stored (for reconciliation with the database).</summary>
    IAsyncEnumerable<CredentialKey> ListAsync(CancellationToken ct = default);

    /// <summary>
    /// Leftovers of writes a crash interrupted (names, never values), for reconcile-credentials. Stores whose
    /// writes are atomic on the server (SSM) have none.
    /// </summary>
    IAsyncEnumerable<string> ListIncompleteWritesAsync(CancellationToken ct = default) => AsyncEnumerable.Empty<string>();

    Task DeleteIncompleteWriteAsync(string name, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>
    /// Whether the store answers, as cheaply as it can (the readiness check calls it every few seconds): throws
    /// <see cref="CredentialStoreUnavailableException"/> when it does not. Reads no value.
    /// </summary>
    async Task ProbeAsync(CancellationToken ct = default)
    {
        await foreach (var _ in ListAsync(ct))
        {
            break;
        }
    }
}

/// <summary>
/// The store could not do its work (unreachable, access denied, misconfigured). Callers answer
/// 502 <c>provider_unreachable</c>; the message never contains a credential value.
/// </summary>
public sealed class CredentialStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
