using Dataraven.Core.Checks.Health;
using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;

namespace Dataraven.Portal.Components.Pages.Secrets;

/// <summary>What the secrets list shows: a text search, a storage type, a source (direct or one connection).</summary>
public sealed class SecretFilter
{
    public const string Direct = "direct";

    public string Search { get; set; } = "";
    public string Type { get; set; } = "";

    /// <summary>"", <see cref="Direct"/>, or a vault connection id.</summary>
    public string Source { get; set; } = "";

    /// <summary>Only failing secrets and those expiring within a week (the overview links here).</summary>
    public bool NeedsAttention { get; set; }

    /// <summary>Only what this user owns ("Owned by me"); null: everyone's.</summary>
    public Guid? OwnedBy { get; set; }

    /// <summary>The moment health is judged at (expiry warnings).</summary>
    public DateTime Now { get; set; } = DateTime.UtcNow;

    public Guid? Connection => Guid.TryParse(Source, out var id) ? id : null;

    public bool Matches(SecretDetails details)
    {
        var s = details.Secret;
        return (Type == "" || s.SecretType == Type)
               && (!NeedsAttention || HealthView.Of(s, Now).NeedsAttention)
               && (OwnedBy is not { } owner || details.Owners.Any(o => o.Id == owner))
               && (Source == "" || (Source == Direct ? s.IsDirect : s.VaultConnectionId == Connection))
               && (string.IsNullOrWhiteSpace(Search) || SearchText(details).Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    // What a user might type to find a secret: its name, description, id, type, auth method and source as shown.
    private static string SearchText(SecretDetails d) => string.Join('\n',
        d.Secret.Name, d.Secret.Description ?? "", d.Secret.Id.ToString(),
        SecretCatalog.Find(d.Secret.SecretType)?.DisplayName ?? d.Secret.SecretType,
        SecretCatalog.FindAuthMethod(d.Secret.SecretType, d.Secret.AuthMethod)?.DisplayName ?? d.Secret.AuthMethod,
        d.VaultConnectionName ?? "Direct");
}
