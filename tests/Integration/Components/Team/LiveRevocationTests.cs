using Bunit;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Team;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Team;

/// <summary>
/// A page opened while the member could act, then the Owner removes them or lowers their role: the very next
/// action is checked against the database, not against the role the circuit started with.
/// </summary>
public sealed class LiveRevocationTests : IAsyncLifetime
{
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;
    private Guid _admin;
    private string _adminEmail = "";
    private BunitContext _ctx = null!;

    public async Task InitializeAsync()
    {
        _portal = await TestPortal.StartAsync();
        _team = await _portal.CreateTeamAsync("Acme");
        (_admin, _adminEmail, _) = await _portal.AddMemberAsync(_team, TeamRole.Admin);
        _ctx = new BunitContext();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped(_ => _portal.Services.CreateScope());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<TeamService>());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<ApiKeyService>());
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _portal.DisposeAsync();
    }

    private TeamActor Owner => new(_team.TeamId, _team.OwnerId, TeamRole.Owner);

    /// <summary>The API keys page as the Admin saw it when their circuit started.</summary>
    private IRenderedComponent<CascadingValue<PortalContext>> RenderAsAdmin()
    {
        var membership = new Membership(_team.TeamId, "Acme", "free", TeamRole.Admin);
        var admin = new PortalContext(_admin, _adminEmail, [membership], membership);
        var page = _ctx.Render<CascadingValue<PortalContext>>(p => p.Add(c => c.Value, admin).AddChildContent<ApiKeys>());
        page.WaitForElement("#create-key");
        return page;
    }

    private static void CreateKey(IRenderedComponent<CascadingValue<PortalContext>> page, string name)
    {
        page.Find("#key-name").Change(name);
        page.Find("form").Submit();
    }

    private async Task<bool> KeyExistsAsync(string name) =>
        (await _portal.WithAsync<ApiKeyService, IReadOnlyList<ApiKeyView>>(k => k.ListAsync(Owner))).Any(k => k.Name == name);

    [Fact]
    public async Task RemovedMember_NextAction_IsRefused_AndChangesNothing()
    {
        var page = RenderAsAdmin();
        Assert.True((await _portal.WithAsync<TeamService, Result<Done>>(t => t.RemoveMemberAsync(Owner, _admin))).IsSuccess);

        CreateKey(page, "after removal");

        page.WaitForAssertion(() => Assert.Contains("You no longer have access to Acme", page.Markup));
        Assert.False(await KeyExistsAsync("after removal"));
    }

    [Fact]
    public async Task LoweredRole_NextWrite_IsRefusedForTheRole()
    {
        var page = RenderAsAdmin();
        Assert.True((await _portal.WithAsync<TeamService, Result<Done>>(t => t.ChangeRoleAsync(Owner, _admin, TeamRole.Viewer))).IsSuccess);

        CreateKey(page, "after demotion");

        page.WaitForAssertion(() => Assert.Contains(new ForbiddenRoleProblem("create API keys (Owners and Admins only)").Message, page.Markup));
        Assert.False(await KeyExistsAsync("after demotion"));
    }

    [Fact]
    public async Task UnchangedMember_ActsAsBefore()
    {
        var page = RenderAsAdmin();

        CreateKey(page, "still admin");

        page.WaitForElement("[data-testid=new-key]");
        Assert.True(await KeyExistsAsync("still admin"));
    }
}
