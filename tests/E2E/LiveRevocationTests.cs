using System.Diagnostics;
using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

/// <summary>A page stays open while an Owner removes its member: the very next click is refused (no interval involved).</summary>
public sealed class LiveRevocationTests(BrowserFixture browser) : BrowserTest(browser)
{
    // Long enough that only the click itself can notice the removal.
    protected override void Configure(TestPortalOptions options) => options.Settings["Accounts:RevalidationSeconds"] = "600";

    [Fact]
    public Task RemovedWhileThePageIsOpen_NextClickIsRefused_AndThePageSaysSo() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var admin = await Portal.AddMemberAsync(team, TeamRole.Admin);
        await SignInAsync(page, admin.Email);
        var keys = await ApiKeysPage.OpenAsync(page);

        // Another session (the Owner's) removes the Admin while their page is open.
        var owner = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner);
        Assert.True((await Portal.WithAsync<TeamService, Result<Done>>(t => t.RemoveMemberAsync(owner, admin.UserId))).IsSuccess);

        await page.GetByLabel("Name").FillAsync("after removal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Expect(keys.NotAllowed).ToContainTextAsync("You are no longer a member of Acme");
        await SaveScreenshotAsync(page, "access-revoked");
        var remaining = await Portal.WithAsync<Core.ApiKeys.ApiKeyService, IReadOnlyList<Core.ApiKeys.ApiKeyView>>(k => k.ListAsync(owner));
        Assert.DoesNotContain(remaining, k => k.Name == "after removal");
    });
}

/// <summary>Without any click, an open page learns of a removal or a lowered role within the revalidation interval.</summary>
public sealed class LiveRevocationIntervalTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser)
{
    private const int IntervalSeconds = 2;

    protected override void Configure(TestPortalOptions options) =>
        options.Settings["Accounts:RevalidationSeconds"] = IntervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public Task LoweredThenRemoved_TheOpenPageFollows_WithinTheInterval() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var admin = await Portal.AddMemberAsync(team, TeamRole.Admin);
        var owner = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner);
        await SignInAsync(page, admin.Email);
        var keys = await ApiKeysPage.OpenAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create key" })).ToBeVisibleAsync();

        var clock = Stopwatch.StartNew();
        Assert.True((await Portal.WithAsync<TeamService, Result<Done>>(t => t.ChangeRoleAsync(owner, admin.UserId, TeamRole.Viewer))).IsSuccess);
        await Expect(keys.NotAllowed).ToContainTextAsync("Managing API keys needs the Admin role", new() { Timeout = (IntervalSeconds + 5) * 1000 });
        output.WriteLine($"lowered role shown after {clock.Elapsed.TotalSeconds:F1} s (interval {IntervalSeconds} s)");

        clock.Restart();
        Assert.True((await Portal.WithAsync<TeamService, Result<Done>>(t => t.RemoveMemberAsync(owner, admin.UserId))).IsSuccess);
        await Expect(keys.NotAllowed).ToContainTextAsync("You are no longer a member of Acme", new() { Timeout = (IntervalSeconds + 5) * 1000 });
        output.WriteLine($"removal shown after {clock.Elapsed.TotalSeconds:F1} s (interval {IntervalSeconds} s)");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(IntervalSeconds + 3));
    });
}
