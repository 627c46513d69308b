using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections;

namespace Dataraven.Portal.Components.Pages.Secrets;

public enum SecretSource { Direct, Vault }

/// <summary>
/// What the secret editor holds while the user types: the choices, one value per credential field of
/// the chosen auth method, one reference per mapping row. It builds the same requests the API takes.
/// Typed credentials live only here and are cleared after a save or when they stop applying.
/// </summary>
public sealed class SecretDraft
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>The expiry policy (credential_expiration_days); null for none.</summary>
    public int? RotateEveryDays { get; set; }
    public string? SecretType { get; private set; }
    public string? AuthMethodId { get; private set; }
    public SecretSource Source { get; private set; } = SecretSource.Direct;
    public Guid? ConnectionId { get; private set; }

    /// <summary>Edit of a direct secret: the user asked to replace the stored credentials.</summary>
    public bool Replace { get; set; }

    public Dictionary<string, string> Credentials { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> References { get; } = new(StringComparer.Ordinal);

    /// <summary>The secret being edited, or null for a new one.</summary>
    public SecretDetails? Existing { get; private set; }

    /// <summary>The owners to save (the editor starts a new secret with the signed-in member).</summary>
    public IReadOnlyCollection<Guid> OwnerIds { get; set; } = [];

    public bool IsEdit => Existing is not null;
    public SecretTypeDefinition? Type => SecretCatalog.Find(SecretType);
    public AuthMethod? Method => Type?.FindAuthMethod(AuthMethodId);
    public bool AuthMethodChanged => Existing is not null && AuthMethodId != Existing.Secret.AuthMethod;

    /// <summary>The vault type the mapping rows are for: the saved secret's, or the chosen connection's.</summary>
    public VaultType? VaultTypeIn(IEnumerable<VaultConnection> connections) => IsEdit
        ? Existing!.VaultType
        : Source == SecretSource.Vault ? connections.FirstOrDefault(c => c.Id == ConnectionId)?.VaultType : null;

    /// <summary>The vault a scoped 1Password connection may read (null: unscoped or none chosen).</summary>
    public string? VaultScopeIn(IEnumerable<VaultConnection> connections) =>
        Source == SecretSource.Vault ? connections.FirstOrDefault(c => c.Id == ConnectionId)?.Vault : null;

    /// <summary>Send credentials on an edit only when replacing: chosen, typed into, or forced by a new auth method.</summary>
    public bool Replacing => Replace || AuthMethodChanged || Credentials.Values.Any(v => v.Length > 0);

    public static SecretDraft For(SecretDetails details)
    {
        var secret = details.Secret;
        var draft = new SecretDraft
        {
            Existing = details,
            Name = secret.Name,
            Description = secret.Description ?? "",
            RotateEveryDays = secret.CredentialExpirationDays,
            SecretType = secret.SecretType,
            AuthMethodId = secret.AuthMethod,
            Source = secret.IsDirect ? SecretSource.Direct : SecretSource.Vault,
            ConnectionId = secret.VaultConnectionId,
            OwnerIds = details.Owners.Select(o => o.Id).ToList(),
        };
        // References are not secret: prefill them. Stored credential values are never read.
        foreach (var mapping in secret.FieldMappings)
        {
            draft.References[mapping.FieldName] = mapping.Reference;
        }
        draft.RebuildFields();
        return draft;
    }

    /// <summary>A new type keeps the auth method only if the type has it; a type with one method picks it.</summary>
    public void ChooseType(string? secretType)
    {
        SecretType = secretType;
        var methods = Type?.AuthMethods ?? [];
        if (Type?.FindAuthMethod(AuthMethodId) is null)
        {
            AuthMethodId = methods.Count == 1 ? methods[0].Id : null;
        }
        RebuildFields();
    }

    public void ChooseAuthMethod(string? authMethod)
    {
        AuthMethodId = authMethod;
        RebuildFields();
    }

    public void ChooseSource(SecretSource source)
    {
        Source = source;
        // Only one source is sent; credentials typed for the other are not kept around.
        if (source == SecretSource.Vault)
        {
            ClearCredentials();
        }
    }

    /// <summary>Another connection needs references in its own vault: the rows start empty again.</summary>
    public void ChooseConnection(Guid? connectionId)
    {
        if (connectionId != ConnectionId)
        {
            foreach (var key in References.Keys.ToList())
            {
                References[key] = "";
            }
        }
        ConnectionId = connectionId;
    }

    /// <summary>Switches to the suggested type and auth method, moving the pasted value into its field.</summary>
    public void Accept(CredentialSuggestion suggestion, string value)
    {
        ChooseType(suggestion.Type.Id);
        ChooseAuthMethod(suggestion.Method.Id);
        ClearCredentials();
        Credentials[suggestion.Field.Name] = value;
    }

    /// <summary>One value per field of the current auth method; values of fields that no longer exist are dropped.</summary>
    private void RebuildFields()
    {
        var names = Method?.FieldNames.ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var values in new[] { Credentials, References })
        {
            foreach (var stale in values.Keys.Where(k => !names.Contains(k)).ToList())
            {
                values.Remove(stale);
            }
            foreach (var name in names)
            {
                values.TryAdd(name, "");
            }
        }
    }

    public void ClearCredentials()
    {
        foreach (var key in Credentials.Keys.ToList())
        {
            Credentials[key] = "";
        }
        Replace = false;
    }

    public CreateSecretRequest ToCreate() => new()
    {
        Name = Name,
        Description = Description,
        SecretType = SecretType,
        AuthMethod = AuthMethodId,
        Credentials = Source == SecretSource.Direct ? CredentialsToSend() : null,
        VaultConnectionId = Source == SecretSource.Vault ? ConnectionId?.ToString() ?? "" : null,
        FieldMappings = Source == SecretSource.Vault ? MappingsToSend() : null,
        CredentialExpirationDays = RotateEveryDays,
        OwnerIds = OwnerIds.Select(id => id.ToString()).ToList(),
    };

    public UpdateSecretRequest ToUpdate() => new()
    {
        Name = Name,
        Description = Description,
        AuthMethod = AuthMethodChanged ? AuthMethodId : null,
        Credentials = Existing!.Secret.IsDirect && Replacing ? CredentialsToSend() : null,
        FieldMappings = Existing.Secret.IsDirect ? null : MappingsToSend(),
        // The editor shows the policy, so it always sends it: an emptied field clears it.
        CredentialExpirationDays = RotateEveryDays,
        OwnerIds = OwnerIds.Select(id => id.ToString()).ToList(),
    };

    /// <summary>What the checker needs to check this unsaved input: the typed values or the mappings (values stay in memory).</summary>
    public Core.Checks.SecretDraft ToCheck(Guid teamId) => new()
    {
        TeamId = teamId,
        SecretType = SecretType ?? "",
        AuthMethod = AuthMethodId ?? "",
        Credentials = Source == SecretSource.Direct ? CredentialsToSend() : null,
        VaultConnectionId = Source == SecretSource.Vault ? ConnectionId : null,
        FieldMappings = Source == SecretSource.Vault
            ? MappingsToSend().Select(m => new FieldMapping { FieldName = m.FieldName!, Reference = m.Reference!.Trim() }).ToList()
            : [],
    };

    /// <summary>True when another secret of the team already has this name (names compare as the server does).</summary>
    public bool NameTaken(IEnumerable<string> teamNames) =>
        !string.IsNullOrWhiteSpace(Name) &&
        teamNames.Any(n => Names.Normalize(n) == Names.Normalize(Name) && (Existing is null || Names.Normalize(Existing.Secret.Name) != Names.Normalize(n)));

    private Dictionary<string, string> CredentialsToSend() =>
        (Method?.Fields ?? []).ToDictionary(f => f.Name, f => Credentials.GetValueOrDefault(f.Name) ?? "", StringComparer.Ordinal);

    // In the catalog's order, so field_mappings[i] errors land on row i.
    private List<FieldMappingRequest> MappingsToSend() =>
        (Method?.Fields ?? []).Select(f => new FieldMappingRequest { FieldName = f.Name, Reference = References.GetValueOrDefault(f.Name) ?? "" }).ToList();
}
