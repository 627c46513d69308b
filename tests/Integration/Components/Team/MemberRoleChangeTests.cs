using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Team;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Team;

/// <summary>The Members page against a real portal's services: picking a role proposes it, only "Make ..." changes it.</summary>
public sealed class MemberRoleChangeTests : IAsyncLifetime
{
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;
    private string _viewer = "";
    private BunitContext _ctx = null!;

    public async Task InitializeAsync()
    {
        _portal = await TestPortal.StartAsync();
        _team = await _portal.CreateTeamAsync("Acme");
        (_, _viewer, _) = await _portal.AddMemberAsync(_team, TeamRole.Viewer);
        _ctx = new BunitContext();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        // The page opens a DI scope per action; each such scope borrows a scope of the real portal for its services.
        _ctx.Services.AddScoped(_ => _portal.Services.CreateScope());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<TeamService>());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<Dataraven.Core.Invitations.InvitationService>());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<Dataraven.Core.Accounts.TeamSecurityPolicies>());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<Dataraven.Core.Accounts.MemberPasswordResets>());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<Dataraven.Core.Email.EmailOutbox>());
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _portal.DisposeAsync();
    }

    [Fact]
    public async Task PickingARole_AsksFirst_AndChangesNothingYet()
    {
        var (dialogs, page) = RenderMembers();

        RoleSelect(page).Change(nameof(TeamRole.Admin));

        var confirm = dialogs.WaitForElement("[data-testid=confirm-ok]");
        Assert.Equal("Make Admin", confirm.TextContent.Trim());
        Assert.Contains($"Change the role of {_viewer} from Viewer to Admin?", dialogs.Markup);
        Assert.Equal(TeamRole.Viewer, await StoredRoleAsync());
    }

    [Fact]
    public async Task Cancel_KeepsTheRole_AndTheDropdownShowsItAgain()
    {
        var (dialogs, page) = RenderMembers();
        RoleSelect(page).Change(nameof(TeamRole.Admin));

        await dialogs.WaitForElement("[data-testid=confirm-cancel]").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-ok]")));
        page.WaitForAssertion(() => Assert.Equal(nameof(TeamRole.Viewer), RoleSelect(page).GetAttribute("value")));
        Assert.Equal(TeamRole.Viewer, await StoredRoleAsync());
    }

    [Fact]
    public async Task Confirm_ChangesTheRole()
    {
        var (dialogs, page) = RenderMembers();
        RoleSelect(page).Change(nameof(TeamRole.Admin));

        await dialogs.WaitForElement("[data-testid=confirm-ok]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(nameof(TeamRole.Admin), RoleSelect(page).GetAttribute("value")));
        Assert.Equal(TeamRole.Admin, await StoredRoleAsync());
    }

    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<CascadingValue<PortalContext>> Page) RenderMembers()
    {
        var dialogs = _ctx.Render<MudDialogProvider>();
        var membership = new Membership(_team.TeamId, "Acme", "free", TeamRole.Owner);
        var owner = new PortalContext(_team.OwnerId, _team.OwnerEmail, [membership], membership);
        var page = _ctx.Render<CascadingValue<PortalContext>>(p => p.Add(c => c.Value, owner).AddChildContent<Members>());
        page.WaitForElement($"[data-testid='role-{_viewer}']");
        return (dialogs, page);
    }

    private IElement RoleSelect(IRenderedComponent<CascadingValue<PortalContext>> page) => page.Find($"[data-testid='role-{_viewer}']");

    private async Task<TeamRole> StoredRoleAsync()
    {
        var members = await _portal.WithAsync<TeamService, IReadOnlyList<MemberView>>(t =>
            t.ListMembersAsync(new TeamActor(_team.TeamId, _team.OwnerId, TeamRole.Owner)));
        return members.Single(m => m.Email == _viewer).Role;
    }
}
