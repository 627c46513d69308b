using Bunit;
using Dataraven.Core.Common;
using Dataraven.Core.Owners;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Secrets;
using Dataraven.Portal.Components.Shared;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using MudBlazor;

namespace Dataraven.Tests.Components.Secrets;

/// <summary>Owners in the UI: the compact owners cell, the owner picker, the editor's default and the list's "Owned by me".</summary>
public sealed class OwnerComponentsTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    private static readonly Guid Me = Guid.NewGuid();
    private static readonly OwnerRef Ana = new(Guid.NewGuid(), "ana@example.com");

    [Fact]
    public async Task OwnersCell_ShowsYouFirst_ThenTheCount_AndEveryEmailInItsLabel()
    {
        await using var ctx = PortalComponents.NewContext();
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<OwnersCell>(p => p.Add(c => c.Owners, [Ana, new OwnerRef(Me, "me@example.com")]).Add(c => c.Me, Me));
        var cell = cut.Find("[data-testid='owners']");
        Assert.Equal("You + 1", cell.QuerySelector(".owners-text")!.TextContent);
        Assert.Contains("ana@example.com", cell.GetAttribute("aria-label"));
        Assert.Contains("you (me@example.com)", cell.GetAttribute("aria-label"));

        cut.Render(p => p.Add(c => c.Owners, [Ana]).Add(c => c.Me, Me));
        Assert.Equal("ana@example.com", cut.Find(".owners-text").TextContent);

        cut.Render(p => p.Add(c => c.Owners, []).Add(c => c.Me, Me));
        Assert.Equal("No owner", cut.Find("[data-testid='owners']").TextContent.Trim());
    }

    [Fact]
    public async Task OwnerPicker_OffersTheMembers_AndReportsTheChoice()
    {
        await using var ctx = PortalComponents.NewContext();
        ctx.Render<MudPopoverProvider>();
        IReadOnlyCollection<Guid>? chosen = null;
        var members = new List<MemberView>
        {
            new(Me, "me@example.com", TeamRole.Owner, DateTime.UtcNow), new(Ana.Id, Ana.Email!, TeamRole.Viewer, DateTime.UtcNow),
        };
        var cut = ctx.Render<OwnerPicker>(p => p.Add(c => c.Members, members).Add(c => c.Selected, [Me]).Add(c => c.Me, Me)
            .Add(c => c.SelectedChanged, (IReadOnlyCollection<Guid> v) => chosen = v));
        var select = cut.FindComponent<MudSelect<Guid>>();
        Assert.Equal([Me], cut.Instance.Selected);
        Assert.Equal("me@example.com (you)", select.Instance.ToStringFunc!(Me));

        await cut.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync([Me, Ana.Id]));
        Assert.Equal([Me, Ana.Id], chosen);
    }

    [Fact]
    public async Task NewSecret_OwnedByMeByDefault_EditStartsFromItsOwners()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await using var ctx = PortalComponents.NewContext(Portal);
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<SecretEditor>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)));
        cut.WaitForElement("[data-testid='secret-editor']");
        Assert.Equal([team.OwnerId], cut.FindComponent<OwnerPicker>().Instance.Selected);

        var (viewer, _, _) = await Portal.AddMemberAsync(team, TeamRole.Viewer);
        var created = await CreateAsync(team, "Owned by viewer", [viewer.ToString()]);
        var edit = ctx.Render<SecretEditor>(p => p.Add(c => c.Id, created).AddCascadingValue(PortalComponents.OwnerContext(team)));
        edit.WaitForElement("[data-testid='secret-editor']");
        Assert.Equal([viewer], edit.FindComponent<OwnerPicker>().Instance.Selected);
    }

    [Fact]
    public async Task SecretList_ShowsOwners_AndOwnedByMeFilters()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var (viewer, _, _) = await Portal.AddMemberAsync(team, TeamRole.Viewer);
        await CreateAsync(team, "Mine", [team.OwnerId.ToString()]);
        await CreateAsync(team, "Theirs", [viewer.ToString()]);
        await using var ctx = PortalComponents.NewContext(Portal);
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<SecretList>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)));
        cut.WaitForElement("[data-testid='secrets-grid']");
        Assert.Equal(["You", "viewer"], cut.FindAll("[data-testid='owners'] .owners-text").Select(e => e.TextContent[..Math.Min(6, e.TextContent.Length)]).ToArray());

        var mine = cut.Find("[data-testid='filter-mine']");
        (mine.TagName == "INPUT" ? mine : mine.QuerySelector("input")!).Change(true);
        cut.WaitForAssertion(() => Assert.Equal(["Mine"], cut.FindAll("[data-testid='secrets-grid'] tbody .name").Select(e => e.TextContent)));
    }

    private async Task<Guid> CreateAsync(TeamFixture team, string name, List<string> owners)
    {
        var result = await Portal.WithAsync<SecretService, Result<SecretDetails>>(s => s.CreateAsync(
            new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner), new CreateSecretRequest
            {
                Name = name, SecretType = "s3", AuthMethod = "s3_access_key",
                Credentials = ValidationSamples.ValidCredentials("s3", "s3_access_key"), OwnerIds = owners,
            }));
        return result.Value!.Secret.Id;
    }
}
