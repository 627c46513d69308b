using System.Net;
using Bunit;
using Dataraven.Core.Teams;
using Dataraven.Core.Trash;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Api;
using Dataraven.Tests.Components.Secrets;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using TrashPage = Dataraven.Portal.Components.Pages.Trash.Trash;

namespace Dataraven.Tests.Components.Trash;

/// <summary>The Trash page on a real portal's services: list, restore (with a new name when the old one is taken), purge after confirming.</summary>
public sealed class TrashPageTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    private async Task<string> CreateAndTrashAsync(TeamFixture team, string name)
    {
        using var api = Portal.CreateClient(team.OwnerKey);
        var id = (string)(await (await api.PostJsonAsync($"/v1/teams/{team.TeamId}/secrets", new Dictionary<string, object?>
        {
            ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
        })).AssertStatusAsync(HttpStatusCode.Created))["id"]!;
        await (await api.DeleteAsync($"/v1/teams/{team.TeamId}/secrets/{id}")).AssertStatusAsync(HttpStatusCode.NoContent);
        return id;
    }

    private async Task<HttpStatusCode> LiveStatusAsync(TeamFixture team, string id)
    {
        using var api = Portal.CreateClient(team.OwnerKey);
        return (await api.GetAsync($"/v1/teams/{team.TeamId}/secrets/{id}")).StatusCode;
    }

    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<CascadingValue<PortalContext>> Page) Render(
        BunitContext ctx, TeamFixture team, TeamRole role = TeamRole.Owner, string wait = "[data-testid='trash-grid']")
    {
        ctx.Services.AddSingleton(Portal.Services.GetRequiredService<IOptions<RetentionOptions>>());
        ctx.Render<MudPopoverProvider>();
        ctx.Render<MudSnackbarProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        var membership = new Membership(team.TeamId, "Acme", "pro", role);
        var context = new PortalContext(team.OwnerId, team.OwnerEmail, [membership], membership);
        var page = ctx.Render<CascadingValue<PortalContext>>(p => p.Add(c => c.Value, context).AddChildContent<TrashPage>());
        page.WaitForElement(wait);
        return (dialogs, page);
    }

    [Fact]
    public async Task Empty_SaysSo()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await using var ctx = PortalComponents.NewContext(Portal);
        var (_, page) = Render(ctx, team, wait: "[data-testid='trash-empty']");
        Assert.Contains("The trash is empty", page.Markup);
        Assert.Contains("30 days", page.Markup);
    }

    [Fact]
    public async Task Owner_SeesRestoreAndPurge_RestoreBringsItBack()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var id = await CreateAndTrashAsync(team, "Old backups");
        await using var ctx = PortalComponents.NewContext(Portal);
        var (_, page) = Render(ctx, team);

        Assert.Equal(["Old backups"], page.FindAll("[data-testid='trash-name']").Select(e => e.TextContent));
        Assert.Contains("by you", page.Find("[data-testid='trash-grid']").TextContent);
        Assert.Single(page.FindAll("[data-testid='trash-purge']"));
        await page.Find("[data-testid='trash-restore']").ClickAsync(new());

        page.WaitForElement("[data-testid='trash-empty']");
        Assert.Equal(HttpStatusCode.OK, await LiveStatusAsync(team, id));
    }

    [Fact]
    public async Task Restore_NameTaken_AsksForANewName_ThenRestoresUnderIt()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var id = await CreateAndTrashAsync(team, "Reports");
        await CreateAndTrashAsync(team, "Unrelated");
        using (var api = Portal.CreateClient(team.OwnerKey))
        {
            await (await api.PostJsonAsync($"/v1/teams/{team.TeamId}/secrets", new Dictionary<string, object?>
            {
                ["name"] = "Reports", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
                ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
            })).AssertStatusAsync(HttpStatusCode.Created);
        }
        await using var ctx = PortalComponents.NewContext(Portal);
        var (dialogs, page) = Render(ctx, team);

        // Not awaited: the handler waits for the dialog's answer.
        _ = page.Find("button[aria-label='Restore Reports']").ClickAsync(new());
        var input = dialogs.WaitForElement("input[data-testid='restore-name'], [data-testid='restore-name'] input");
        Assert.Equal("Reports (restored)", input.GetAttribute("value"));
        input.Input("Reports 2025");
        // bunit has no browser to turn the submit button's click into the form's submit.
        await dialogs.Find("#restore-name-form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal(["Unrelated"], page.FindAll("[data-testid='trash-name']").Select(e => e.TextContent)));
        Assert.Equal(HttpStatusCode.OK, await LiveStatusAsync(team, id));
        var restored = await Portal.WithAsync<Core.Secrets.SecretService, Core.Common.Result<Core.Secrets.SecretDetails>>(s =>
            s.GetAsync(new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner), Guid.Parse(id)));
        Assert.Equal("Reports 2025", restored.Value!.Secret.Name);
    }

    [Fact]
    public async Task Purge_AsksFirst_CancelKeepsIt_ConfirmPurges()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var id = await CreateAndTrashAsync(team, "Doomed");
        await using var ctx = PortalComponents.NewContext(Portal);
        var (dialogs, page) = Render(ctx, team);

        _ = page.Find("[data-testid='trash-purge']").ClickAsync(new());
        Assert.Contains("cannot be undone", dialogs.WaitForElement("#confirm-message").TextContent);
        await dialogs.Find("[data-testid=confirm-cancel]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-ok]")));
        Assert.Single(page.FindAll("[data-testid='trash-name']"));

        _ = page.Find("[data-testid='trash-purge']").ClickAsync(new());
        await dialogs.WaitForElement("[data-testid=confirm-ok]").ClickAsync(new());
        page.WaitForElement("[data-testid='trash-empty']");
        var inTrash = await Portal.WithAsync<TrashService, IReadOnlyList<TrashItem>>(t => t.ListAsync(new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner)));
        Assert.DoesNotContain(inTrash, i => i.Id == Guid.Parse(id));
    }

    [Theory]
    [InlineData(TeamRole.Admin, true, false)]
    [InlineData(TeamRole.Operator, false, false)]
    [InlineData(TeamRole.Viewer, false, false)]
    public async Task Roles_SeeOnlyTheirActions(TeamRole role, bool restores, bool purges)
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await CreateAndTrashAsync(team, "Listed");
        await using var ctx = PortalComponents.NewContext(Portal);
        var (_, page) = Render(ctx, team, role);

        Assert.Equal(restores, page.FindAll("[data-testid='trash-restore']").Count == 1);
        Assert.Equal(purges, page.FindAll("[data-testid='trash-purge']").Count == 1);
    }
}
