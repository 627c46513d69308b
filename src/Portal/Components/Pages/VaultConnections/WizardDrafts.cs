using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultConnections.Catalog;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.JSInterop;

namespace Dataraven.Portal.Components.Pages.VaultConnections;

/// <summary>What the wizard can bring back after a lost circuit: provider, name, description and settings, never credentials.</summary>
public sealed record WizardDraft(Guid TeamId, VaultType Type, string? Name, string? Description, Dictionary<string, string?> Settings,
    int? CredentialExpirationDays = null)
{
    public static WizardDraft Of(Guid teamId, VaultType type, CreateVaultConnectionRequest model) =>
        new(teamId, type, model.Name, model.Description,
            VaultProviderCatalog.Get(type).Settings.ToDictionary(f => f.WireName, f => model.Value(f.WireName)),
            model.CredentialExpirationDays);

    public CreateVaultConnectionRequest ToRequest()
    {
        var model = new CreateVaultConnectionRequest { Verify = true, VaultType = Type.ToWire(), Name = Name, Description = Description,
            CredentialExpirationDays = CredentialExpirationDays,
        };
        foreach (var field in VaultProviderCatalog.Get(Type).Settings)
        {
            model.SetValue(field.WireName, Settings.GetValueOrDefault(field.WireName) ?? field.Default);
        }
        return model;
    }
}

/// <summary>
/// The wizard's draft in the tab's session storage (encrypted by data protection). A circuit that ends on purpose
/// deletes it; one that is lost cannot, so the next wizard in that tab finds it and says what happened.
/// </summary>
public sealed class WizardDrafts(ProtectedSessionStorage storage)
{
    private const string Key = "dr-vault-wizard";

    public async Task SaveAsync(WizardDraft draft)
    {
        try
        {
            await storage.SetAsync(Key, draft);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            // Only a convenience: the wizard works without it.
        }
    }

    /// <summary>The draft left for this team, removed from storage as it is read.</summary>
    public async Task<WizardDraft?> TakeAsync(Guid teamId)
    {
        try
        {
            var result = await storage.GetAsync<WizardDraft>(Key);
            await storage.DeleteAsync(Key);
            return result is { Success: true, Value: { } draft } && draft.TeamId == teamId ? draft : null;
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException
                                      or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public async Task DeleteAsync()
    {
        try
        {
            await storage.DeleteAsync(Key);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            // Nothing to clean up in a browser that is gone.
        }
    }

    public void DeleteInBackground() => _ = DeleteAsync();
}
