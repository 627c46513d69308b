using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.E2E.VaultConnections;

/// <summary>A browser test with the provider fakes running, and a way to make connections directly.</summary>
[Collection(VaultConnectionBrowserCollection.Name)]
public abstract class VaultConnectionBrowserTest(BrowserFixture browser) : BrowserTest(browser)
{
    protected override bool UsesProviderFakes => true;

    /// <summary>A connection made through the service (as the API would), verified against the fakes.</summary>
    protected async Task<VaultConnectionDetails> CreateConnectionAsync(TeamFixture team, string vaultType, string name, string? description = null)
    {
        var body = ProviderFakes.ValidBody(vaultType, name);
        var request = new CreateVaultConnectionRequest
        {
            Name = name,
            Description = description,
            VaultType = vaultType,
            AccessToken = body.GetValueOrDefault("access_token") as string,
            Project = body.GetValueOrDefault("project") as string,
            Config = body.GetValueOrDefault("config") as string,
            ClientId = body.GetValueOrDefault("client_id") as string,
            ClientSecret = body.GetValueOrDefault("client_secret") as string,
            ProjectId = body.GetValueOrDefault("project_id") as string,
            Environment = body.GetValueOrDefault("environment") as string,
        };
        var result = await Portal.WithAsync<VaultConnectionService, Dataraven.Core.Common.Result<VaultConnectionDetails>>(
            s => s.CreateAsync(new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner), request));
        return result.IsSuccess ? result.Value! : throw new InvalidOperationException(result.Problem!.Message);
    }
}
