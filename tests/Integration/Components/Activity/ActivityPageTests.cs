using Bunit;
using Dataraven.Core.Audit;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Activity;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Api;
using Dataraven.Tests.Audit;
using Dataraven.Tests.Components.Secrets;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ActivityPage = Dataraven.Portal.Components.Pages.Activity.Activity;

namespace Dataraven.Tests.Components.Activity;

/// <summary>The Activity page and the recent-activity panel on a real portal's services and events.</summary>
public sealed class ActivityPageTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    [Fact]
    public async Task Timeline_NewestFirst_LinksExistingTargets_SaysDeletedForGoneOnes()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connection = await PortalComponents.CreateConnectionAsync(Portal, team, "doppler", "Doppler prod");
        var gone = Guid.NewGuid();
        var apiKey = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Admin, Guid.NewGuid()) { ActorName = "ci" };
        await AuditSeed.AddAsync(Portal.Services,
        [
            (AuditSeed.Actor(team), AuditActions.SecretDeleted, AuditTarget.Secret(gone, "Old backups")),
            (apiKey, AuditActions.VaultConnectionRotated, AuditTarget.VaultConnection(connection, "Doppler prod")),
        ], start: DateTime.UtcNow.AddYears(1));
        await using var ctx = PortalComponents.NewContext(Portal);

        var cut = Render(ctx, team);

        var entries = cut.FindAll("[data-testid='activity-entry']");
        Assert.Equal("vault_connection.rotated", entries[0].GetAttribute("data-action"));
        Assert.Contains("Vault connection rotated", entries[0].TextContent);
        Assert.Contains("ci (API key)", entries[0].TextContent);
        Assert.Equal($"/vault-connections/{connection}", entries[0].QuerySelector("a[data-testid='activity-target']")!.GetAttribute("href"));
        Assert.Contains("Secret deleted", entries[1].TextContent);
        Assert.Null(entries[1].QuerySelector("a[data-testid='activity-target']"));
        Assert.NotNull(entries[1].QuerySelector("[data-testid='target-deleted']"));
    }

    [Fact]
    public async Task LoadMore_FetchesTheNextPageByCursor_UntilTheEnd()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var secret = Guid.NewGuid();
        await AuditSeed.SecretUpdatesAsync(Portal.Services, team, ActivityPage.PageSize + 5, secret);
        await using var ctx = PortalComponents.NewContext(Portal);
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"/activity?target={secret}");

        var cut = Render(ctx, team);

        Assert.Contains("Only Prod backups", cut.Find("[data-testid='activity-target-chip']").TextContent);
        Assert.Equal(ActivityPage.PageSize, cut.FindAll("[data-testid='activity-entry']").Count);
        cut.Find("[data-testid='activity-more']").Click();
        cut.WaitForAssertion(() => Assert.Equal(ActivityPage.PageSize + 5, cut.FindAll("[data-testid='activity-entry']").Count));
        Assert.Empty(cut.FindAll("[data-testid='activity-more']"));
        Assert.Equal($"/activity/export.csv?target_id={secret}", cut.Find("[data-testid='activity-export']").GetAttribute("href"));
    }

    [Fact]
    public async Task Search_FiltersTheTimeline_AndTheExportLink_ThenSaysNothingMatches()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await AuditSeed.AddAsync(Portal.Services,
        [
            (AuditSeed.Actor(team, "bob@example.com"), AuditActions.SecretCreated, AuditTarget.Secret(Guid.NewGuid(), "Media")),
            (AuditSeed.Actor(team, "carol@example.com"), AuditActions.SecretCreated, AuditTarget.Secret(Guid.NewGuid(), "Analytics")),
        ], start: DateTime.UtcNow.AddYears(1));
        await using var ctx = PortalComponents.NewContext(Portal);
        var cut = Render(ctx, team);

        cut.Find("input[data-testid='activity-search']").Input("CAROL");

        cut.WaitForAssertion(() => Assert.Equal(["carol@example.com"], cut.FindAll("[data-testid='activity-actor']").Select(e => e.TextContent)));
        Assert.Equal("/activity/export.csv?q=CAROL", cut.Find("[data-testid='activity-export']").GetAttribute("href"));
        cut.Find("input[data-testid='activity-search']").Input("nobody at all");
        cut.WaitForAssertion(() => Assert.Contains("No activity matches these filters", cut.Find("[data-testid='activity-empty']").TextContent));
    }

    [Fact]
    public async Task NoEventsAtAll_ExplainsWhatWillShowUp()
    {
        await using var ctx = PortalComponents.NewContext(Portal);
        var membership = new Membership(Guid.NewGuid(), "Fresh", "free", TeamRole.Viewer);
        ctx.Render<MudPopoverProvider>();

        var cut = ctx.Render<ActivityPage>(p => p.AddCascadingValue(new PortalContext(Guid.NewGuid(), "v@example.com", [membership], membership)));

        cut.WaitForAssertion(() => Assert.Contains("No activity yet", cut.Find("[data-testid='activity-empty']").TextContent));
    }

    [Fact]
    public void Filter_DatesAreWholeUtcDays_AndGoIntoTheExport()
    {
        var filter = new ActivityFilter { From = new DateTime(2026, 1, 5), To = new DateTime(2026, 1, 6), Action = AuditActions.SecretChecked };

        var query = filter.ToQuery(50);

        Assert.Equal(new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), query.From);
        Assert.Equal(new DateTime(2026, 1, 7, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1), query.To);
        Assert.Equal("/activity/export.csv?action=secret.checked&from=2026-01-05T00%3A00%3A00.0000000Z&to=2026-01-06T23%3A59%3A59.9999999Z",
            filter.ExportHref());
    }

    [Fact]
    public async Task Panel_OfATarget_ShowsItsLastFive_WithTheWayToAll()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var secret = Guid.NewGuid();
        var seeded = await AuditSeed.SecretUpdatesAsync(Portal.Services, team, 7, secret);
        await AuditSeed.SecretUpdatesAsync(Portal.Services, team, 1, Guid.NewGuid(), name: "Other", start: AuditSeed.Start.AddDays(1));
        await using var ctx = PortalComponents.NewContext(Portal);

        var cut = ctx.Render<RecentActivity>(p => p.Add(x => x.TargetId, secret).AddCascadingValue(PortalComponents.OwnerContext(team)));

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid='activity-entry']").Count));
        Assert.Empty(cut.FindAll("[data-testid='activity-target']"));
        Assert.Equal(seeded[^1].At.ToString("O"), cut.Find("[data-testid='activity-entry'] time").GetAttribute("datetime"));
        Assert.Equal($"/activity?target={secret}", cut.Find("[data-testid='recent-activity-all']").GetAttribute("href"));
    }

    [Fact]
    public async Task Panel_OfTheTeam_NamesTargets_OrSaysNoActivity()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await AuditSeed.SecretUpdatesAsync(Portal.Services, team, 1, name: "Media", start: DateTime.UtcNow.AddYears(1));
        await using var ctx = PortalComponents.NewContext(Portal);

        var cut = ctx.Render<RecentActivity>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)));

        cut.WaitForAssertion(() => Assert.Contains("Media", cut.Find("[data-testid='activity-entry'] [data-testid='activity-target']").TextContent));
        Assert.Equal("/activity", cut.Find("[data-testid='recent-activity-all']").GetAttribute("href"));

        var fresh = new Membership(Guid.NewGuid(), "Fresh", "free", TeamRole.Viewer);
        var empty = ctx.Render<RecentActivity>(p => p.AddCascadingValue(new PortalContext(Guid.NewGuid(), "v@example.com", [fresh], fresh)));
        empty.WaitForAssertion(() => Assert.NotNull(empty.Find("[data-testid='recent-activity-empty']")));
    }

    private static IRenderedComponent<ActivityPage> Render(BunitContext ctx, TeamFixture team)
    {
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<ActivityPage>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)));
        cut.WaitForElement("[data-testid='activity-timeline']");
        return cut;
    }
}
