using Bunit;
using Dataraven.Core.Audit;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Secrets;
using Dataraven.Portal.Components.Pages.VaultConnections;
using Dataraven.Tests.Api;
using Dataraven.Tests.Audit;
using Dataraven.Tests.Components.Secrets;
using Dataraven.Tests.Infrastructure;
using MudBlazor;

namespace Dataraven.Tests.Components.Activity;

/// <summary>"Last changed by" and "last checked" on the secrets and connections lists come from the events.</summary>
public sealed class LastActivityTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    [Fact]
    public async Task SecretList_ShowsTheLastChangerAndCheck_FromEvents()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var created = (await Portal.WithAsync<SecretService, Dataraven.Core.Common.Result<SecretDetails>>(s => s.CreateAsync(
            new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner), new CreateSecretRequest
            {
                Name = "Prod backups", SecretType = "s3", AuthMethod = "s3_access_key",
                Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
            }))).Value!.Secret;
        var ci = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Admin, Guid.NewGuid()) { ActorName = "ci" };
        await AuditSeed.AddAsync(Portal.Services,
        [
            (ci, AuditActions.SecretUpdated, AuditTarget.Secret(created.Id, created.Name)),
            (AuditSeed.Actor(team, "scheduler"), AuditActions.SecretChecked, AuditTarget.Secret(created.Id, created.Name)),
        ], start: DateTime.UtcNow.AddYears(1));
        await using var ctx = PortalComponents.NewContext(Portal);
        ctx.Render<MudPopoverProvider>();

        var cut = ctx.Render<SecretList>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)));
        cut.WaitForElement("[data-testid='secrets-grid']");

        Assert.Contains("by ci (API key)", cut.Find("[data-testid='last-changed']").TextContent);
        Assert.Contains("passed", cut.Find("[data-testid='last-checked']").TextContent);
    }

    [Fact]
    public async Task ConnectionList_ShowsTheLastChanger_AndLinksTheDetail()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connection = await PortalComponents.CreateConnectionAsync(Portal, team, "doppler", "Doppler prod");
        await AuditSeed.AddAsync(Portal.Services,
            [(AuditSeed.Actor(team, "bob@example.com"), AuditActions.VaultConnectionRotated, AuditTarget.VaultConnection(connection, "Doppler prod"))],
            start: DateTime.UtcNow.AddYears(1));
        await using var ctx = PortalComponents.NewContext(Portal);
        ctx.Render<MudPopoverProvider>();

        var cut = ctx.Render<VaultConnectionList>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)));
        cut.WaitForElement("[data-testid='vc-grid']");

        Assert.Contains("by bob@example.com", cut.Find("[data-testid='last-changed']").TextContent);
        Assert.Equal($"/vault-connections/{connection}", cut.Find("[data-testid='vc-name'] a").GetAttribute("href"));
    }

    [Fact]
    public async Task ConnectionDetail_ShowsTheConnection_AndItsRecentActivity()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connection = await PortalComponents.CreateConnectionAsync(Portal, team, "doppler", "Doppler prod");
        await AuditSeed.AddAsync(Portal.Services,
            [(AuditSeed.Actor(team), AuditActions.VaultConnectionVerified, AuditTarget.VaultConnection(connection, "Doppler prod"))],
            start: DateTime.UtcNow.AddYears(1));
        await using var ctx = PortalComponents.NewContext(Portal);

        var cut = ctx.Render<VaultConnectionDetail>(p => p.Add(x => x.Id, connection).AddCascadingValue(PortalComponents.OwnerContext(team)));

        cut.WaitForAssertion(() => Assert.Contains("Vault connection verified", cut.Find("[data-testid='recent-activity']").TextContent));
        Assert.Equal("Doppler prod", cut.Find("h1").TextContent);
        Assert.Contains("Doppler", cut.Find("[data-testid='vc-detail']").TextContent);
    }
}
