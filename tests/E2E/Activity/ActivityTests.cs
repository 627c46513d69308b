using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.Activity;

public sealed class ActivityTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public Task AfterAChange_ActivityShowsIt_LinkedToTheSecret_At1280And390() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var secret = await CreateSecretWithEventAsync(team, "Prod backups");
        await SignInAsync(page, team.OwnerEmail);

        var activity = await ActivityPage.OpenAsync(page);

        var entry = activity.Entry(AuditActions.SecretCreated).Filter(new() { HasText = "Prod backups" });
        await Expect(entry).ToContainTextAsync("Secret created");
        await Expect(entry).ToContainTextAsync(team.OwnerEmail);
        await Expect(entry.GetByRole(AriaRole.Link, new() { Name = "Prod backups" })).ToHaveAttributeAsync("href", $"/secrets/{secret}/edit");
        await Expect(activity.Export).ToHaveAttributeAsync("href", "/activity/export.csv");
        await SaveScreenshotAsync(page, "activity-1280");

        await activity.Search.FillAsync("nothing like this");
        await Expect(activity.Empty).ToContainTextAsync("No activity matches these filters");
        await activity.Search.FillAsync("prod");
        await Expect(entry).ToBeVisibleAsync();
        await Expect(activity.Export).ToHaveAttributeAsync("href", "/activity/export.csv?q=prod");

        await page.SetViewportSizeAsync(390, 844);
        activity = await ActivityPage.OpenAsync(page);
        await Expect(entry).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "The Activity page scrolls sideways at 390 px");
        await SaveScreenshotAsync(page, "activity-390");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await SaveScreenshotAsync(page, "activity-390-dark");

        await page.GotoAsync("/");
        var panel = new RecentActivityPanel(page);
        await Expect(panel.Entries.Filter(new() { HasText = "Prod backups" })).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "overview-recent-activity-390-dark");
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync($"/secrets/{secret}/edit");
        await Expect(panel.Entries.First).ToContainTextAsync("Secret created");
        await SaveScreenshotAsync(page, "secret-editor-recent-activity-1280-dark");
    });

    /// <summary>Adds a secret through the service, which records its <c>secret.created</c> event in the same save.</summary>
    private async Task<Guid> CreateSecretWithEventAsync(TeamFixture team, string name)
    {
        var actor = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner) { ActorName = team.OwnerEmail };
        var created = await Portal.WithAsync<SecretService, Dataraven.Core.Common.Result<SecretDetails>>(s => s.CreateAsync(actor, new CreateSecretRequest
        {
            Name = name, SecretType = "s3", AuthMethod = "s3_access_key",
            Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        }));
        var secret = created.Value!.Secret;
        return secret.Id;
    }
}
