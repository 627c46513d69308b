namespace Dataraven.Core.CredentialStore;

public enum CredentialOwnerKind
{
    VaultConnection,
    Secret,
}

/// <summary>Names the stored credential of one object of one team.</summary>
public readonly record struct CredentialKey(Guid TeamId, CredentialOwnerKind Kind, Guid ObjectId)
{
    public static CredentialKey ForVaultConnection(Guid teamId, Guid id) => new(teamId, CredentialOwnerKind.VaultConnection, id);

    public static CredentialKey ForSecret(Guid teamId, Guid id) => new(teamId, CredentialOwnerKind.Secret, id);

    private string KindSegment => Kind == CredentialOwnerKind.VaultConnection ? "vault-connections" : "secrets";

    /// <summary><c>teams/{team_id}/vault-connections/{id}</c> or <c>teams/{team_id}/secrets/{id}</c>.</summary>
    public string RelativePath => $"teams/{TeamId:D}/{KindSegment}/{ObjectId:D}";

    public static bool TryParse(string relativePath, out CredentialKey key)
    {
        key = default;
        var parts = relativePath.Trim('/').Split('/');
        if (parts.Length != 4 || parts[0] != "teams" || !Guid.TryParse(parts[1], out var team) || !Guid.TryParse(parts[3], out var id))
        {
            return false;
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
        key = new CredentialKey(team, kind.Value, id);
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
}

/// <summary>
/// The store could not do its work (unreachable, access denied, misconfigured). Callers answer
/// 502 <c>provider_unreachable</c>; the message never contains a credential value.
/// </summary>
public sealed class CredentialStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
