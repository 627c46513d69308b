using Bunit;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Secrets;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Dataraven.Tests.Components.Secrets;

/// <summary>The secrets list page on a real portal's services.</summary>
public sealed class SecretListTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    [Fact]
    public async Task ConnectionQuery_ShowsOnlyItsSecrets_UnderARemovableChip()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var doppler = await PortalComponents.CreateConnectionAsync(Portal, team, "doppler", "Doppler prod");
        await CreateAsync(team, Direct("Prod backups"));
        await CreateAsync(team, new CreateSecretRequest
        {
            Name = "Media", SecretType = "s3", AuthMethod = "s3_access_key", VaultConnectionId = doppler.ToString(),
            FieldMappings = [new() { FieldName = "access_key_id", Reference = "AWS_ACCESS_KEY_ID" }, new() { FieldName = "secret_access_key", Reference = "AWS_SECRET_ACCESS_KEY" }],
        });
        await using var ctx = PortalComponents.NewContext(Portal);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/secrets?connection={doppler}");

        var cut = Render(ctx, team);

        Assert.Contains("Doppler prod", cut.Find("[data-testid='connection-chip']").TextContent);
        Assert.Equal(["Media"], Names(cut));
        Assert.Equal("1 of 2", cut.Find("[data-testid='shown-count']").TextContent);

        cut.Find("[data-testid='connection-chip'] .mud-chip-close-button").Click();

        Assert.Empty(cut.FindAll("[data-testid='connection-chip']"));
        Assert.Equal(["Media", "Prod backups"], Names(cut));
        Assert.EndsWith("/secrets", navigation.Uri);
    }

    [Fact]
    public async Task UsageBesideAdd_IdsWithCopyButtons_SearchAndSort()
    {
        var team = await Portal.CreateTeamAsync("Acme", "free");
        var b = await CreateAsync(team, Direct("Bravo"));
        await CreateAsync(team, Direct("Alpha"));
        await using var ctx = PortalComponents.NewContext(Portal);

        var cut = Render(ctx, team);

        Assert.Equal("2 of 5 on the Free plan", cut.Find("[data-testid='secrets-usage']").TextContent);
        Assert.Equal(["Alpha", "Bravo"], Names(cut));
        Assert.NotNull(cut.Find($"button[aria-label='Copy id of Bravo']"));
        // The row shows the id shortened; the whole id is its title (and what the copy button copies).
        Assert.Contains(cut.FindAll("[data-testid='secrets-grid'] .dr-id-value"), e => e.GetAttribute("title") == b.Id.ToString());

        cut.FindAll(".mud-table-sort-label")[0].Click();
        Assert.Equal(["Bravo", "Alpha"], Names(cut));

        cut.Find("#filter-search").Input("alp");
        cut.WaitForAssertion(() => Assert.Equal(["Alpha"], Names(cut)));
    }

    private static IRenderedComponent<SecretList> Render(BunitContext ctx, TeamFixture team)
    {
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<SecretList>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)));
        cut.WaitForElement("[data-testid='secrets-grid']");
        return cut;
    }

    private static string[] Names(IRenderedComponent<SecretList> cut) =>
        cut.FindAll("[data-testid='secrets-grid'] tbody .name").Select(e => e.TextContent).ToArray();

    private static CreateSecretRequest Direct(string name) => new()
    {
        Name = name, SecretType = "s3", AuthMethod = "s3_access_key",
        Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret-" + name },
    };

    private async Task<Secret> CreateAsync(TeamFixture team, CreateSecretRequest request)
    {
        var owner = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner);
        var result = await Portal.WithAsync<SecretService, Core.Common.Result<SecretDetails>>(s => s.CreateAsync(owner, request));
        return result.Value!.Secret;
    }
}
