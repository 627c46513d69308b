using Dataraven.Core.Checks;
using Dataraven.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.VaultConnections;

/// <summary>
/// After a 1Password connection's vault changed: the secrets whose references point into another vault can no longer be
/// read through it. Their health becomes <see cref="CheckStatus.Misconfigured"/> at once, each such field saying which
/// vault it references and which one the connection now reads, so the list's badge and the Check panel show it before
/// the next check (which answers the same, without reading those references).
/// </summary>
public static class OutOfScopeSecrets
{
    /// <summary>Flags the connection's secrets (tracked, saved by the caller's SaveChanges); returns their names.</summary>
    public static async Task<IReadOnlyList<string>> FlagAsync(PortalDbContext db, VaultConnection connection, DateTime now, CancellationToken ct)
    {
        var secrets = await db.Secrets.Where(s => s.VaultConnectionId == connection.Id && s.TeamId == connection.TeamId).ToListAsync(ct);
        var flagged = new List<string>();
        foreach (var secret in secrets)
        {
            var fields = secret.FieldMappings
                .Select(m => ReferenceSyntax.OutOfScope(connection.VaultType, connection.Vault, m.Reference) is { } message
                    ? new FieldCheck(m.FieldName, CheckStatus.Misconfigured, Message: message)
                    : new FieldCheck(m.FieldName, CheckStatus.Unchecked, Message: "Not checked since the connection's vault changed."))
                .ToList();
            if (fields.All(f => f.Status != CheckStatus.Misconfigured))
            {
                continue;
            }
            secret.Health.Record(new SecretCheck(CheckStatus.Misconfigured, now, fields,
                StorageCheck.NotChecked("Not checked: every field must be read first."), secret.Health.ExpiresAt, CheckStatus.Misconfigured));
            flagged.Add(secret.Name);
        }
        return flagged;
    }
}
