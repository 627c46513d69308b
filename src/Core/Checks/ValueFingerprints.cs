using System.Security.Cryptography;
using System.Text;
using Dataraven.Core.CredentialStore;

namespace Dataraven.Core.Checks;

/// <summary>
/// The fingerprint of a credential value: the first 8 hex characters of HMAC-SHA256(value) under a per-installation key.
/// It says "changed or not" and nothing else. The key is 32 random bytes kept in the credential store (so every instance
/// and every restart uses the same one, protected like the credentials themselves) under <see cref="KeyLocation"/>; it is
/// created on first use and never logged.
/// </summary>
public sealed class ValueFingerprints(ICredentialStore store)
{
    /// <summary>
    /// An installation-wide entry, not a team's: the empty team id never exists, and the credential reconciler skips it.
    /// </summary>
    public static readonly CredentialKey KeyLocation =
        CredentialKey.ForSecret(Guid.Empty, new Guid("5f1e2b7c-0c4e-4a51-9d0e-f1a6e2c0ffee"));

    private const string KeyField = "hmac_key";
    private readonly SemaphoreSlim _loading = new(1, 1);
    private byte[]? _key;

    public async Task<string> FingerprintAsync(string value, CancellationToken ct = default)
    {
        var key = _key ?? await LoadKeyAsync(ct).ConfigureAwait(false);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value));
        return Convert.ToHexStringLower(mac.AsSpan(0, 4));
    }

    private async Task<byte[]> LoadKeyAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_key is not null) return _key;
            var stored = await store.GetAsync(KeyLocation, ct).ConfigureAwait(false);
            if (stored is null || !stored.TryGetValue(KeyField, out var encoded))
            {
                await store.PutAsync(KeyLocation, new Dictionary<string, string> { [KeyField] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, ct)
                    .ConfigureAwait(false);
                // Read back: when two instances create the key at once, the one the store kept is the one both use from now on.
                stored = await store.GetAsync(KeyLocation, ct).ConfigureAwait(false);
                encoded = stored?[KeyField] ?? throw new CredentialStoreUnavailableException("The fingerprint key could not be stored.");
            }
            return _key = Convert.FromBase64String(encoded);
        }
        finally
        {
            _loading.Release();
        }
    }
}
