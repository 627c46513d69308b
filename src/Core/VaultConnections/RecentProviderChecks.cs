using System.Security.Cryptography;
using System.Text;
using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Caching.Memory;

namespace Dataraven.Core.VaultConnections;

/// <summary>
/// Successful wizard tests, remembered briefly so that "Save" right after a test with the same inputs does not
/// ask the provider a second time. Only a SHA-256 of the team and the inputs is kept, in memory, never the inputs.
/// </summary>
public sealed class RecentProviderChecks(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public void RememberSuccess(Guid teamId, VaultType type, VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials) =>
        cache.Set(KeyOf(teamId, type, settings, credentials), true, Lifetime);

    public bool SucceededRecently(Guid teamId, VaultType type, VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials) =>
        cache.TryGetValue(KeyOf(teamId, type, settings, credentials), out _);

    private static string KeyOf(Guid teamId, VaultType type, VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials)
    {
        // Length-prefixed parts, so that no two different inputs can join into the same text.
        var parts = new[] { teamId.ToString(), type.ToWire(), settings.Project, settings.Config, settings.ProjectId, settings.Environment, settings.SecretPath }
            .Concat(credentials.OrderBy(c => c.Key, StringComparer.Ordinal).SelectMany(c => new[] { c.Key, c.Value }));
        var text = string.Concat(parts.Select(p => p is null ? "-1:" : $"{p.Length}:{p}"));
        return "vault-check:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
