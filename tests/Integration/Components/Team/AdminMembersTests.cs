using Bunit;
using Dataraven.Core.Common;
using Dataraven.Core.Invitations;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Team;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Team;

/// <summary>
/// The Members page for an Admin, against a real portal's services: they invite roles below Admin and revoke those
/// invitations; the members table is read-only (only an Owner changes roles or removes members).
/// </summary>
public sealed class AdminMembersTests : IAsyncLifetime
{
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;
    private (Guid UserId, string Email, string Key) _admin;
    private string _viewer = "";
    private BunitContext _ctx = null!;

    public async Task InitializeAsync()
    {
        _portal = await TestPortal.StartAsync();
        _team = await _portal.CreateTeamAsync("Acme");
        _admin = await _portal.AddMemberAsync(_team, TeamRole.Admin);
        (_, _viewer, _) = await _portal.AddMemberAsync(_team, TeamRole.Viewer);
        _ctx = new BunitContext();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped(_ => _portal.Services.CreateScope());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<TeamService>());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<InvitationService>());
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
    public async Task Admin_SeesMembersReadOnly_InvitesOnlyRolesBelowAdmin_AndRevokesOnlyThose()
    {
        var owner = new TeamActor(_team.TeamId, _team.OwnerId, TeamRole.Owner);
        await InviteAsync(owner, "future.admin@example.com", "admin");
        await InviteAsync(owner, "future.operator@example.com", "operator");

        var page = RenderMembersAsAdmin();

        page.WaitForAssertion(() => Assert.Contains(_viewer, page.Find("[data-testid=members-grid]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=members-grid] select"));
        Assert.Empty(page.FindAll("[data-testid=members-grid] button[aria-label^='Remove']"));
        Assert.Equal("Viewer", page.Find($"[data-testid='role-{_viewer}']").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=members-admin-hint]"));

        Assert.Equal([TeamRole.Operator, TeamRole.Viewer], page.FindComponent<InviteForm>().Instance.Roles);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=invitation-email]").Count));
        Assert.Empty(page.FindAll("button[aria-label='Revoke the invitation of future.admin@example.com']"));
        Assert.Single(page.FindAll("button[aria-label='Revoke the invitation of future.operator@example.com']"));

        page.Find("#invite-email").Change("new.viewer@example.com");
        await page.Find("form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=invitation-email]").Count));
        var pending = await _portal.WithAsync<InvitationService, Result<IReadOnlyList<InvitationView>>>(s => s.ListPendingAsync(owner));
        var invited = Assert.Single(pending.Value!, i => i.Email == "new.viewer@example.com");
        Assert.Equal((TeamRole.Viewer, _admin.UserId), (invited.Role, invited.CreatedBy));
    }

    [Fact]
    public void Owner_StillChangesRolesAndRemoves_AndInvitesEveryRole()
    {
        var membership = new Membership(_team.TeamId, "Acme", "free", TeamRole.Owner);
        var page = _ctx.Render<CascadingValue<PortalContext>>(p => p
            .Add(c => c.Value, new PortalContext(_team.OwnerId, _team.OwnerEmail, [membership], membership)).AddChildContent<Members>());

        page.WaitForElement($"select[data-testid='role-{_viewer}']");
        Assert.NotEmpty(page.FindAll("[data-testid=members-grid] button[aria-label^='Remove']"));
        Assert.Empty(page.FindAll("[data-testid=members-admin-hint]"));
        Assert.Equal(TeamRoles.All, page.FindComponent<InviteForm>().Instance.Roles);
    }

    private IRenderedComponent<CascadingValue<PortalContext>> RenderMembersAsAdmin()
    {
        _ctx.Render<MudPopoverProvider>();
        var membership = new Membership(_team.TeamId, "Acme", "free", TeamRole.Admin);
        var admin = new PortalContext(_admin.UserId, _admin.Email, [membership], membership);
        return _ctx.Render<CascadingValue<PortalContext>>(p => p.Add(c => c.Value, admin).AddChildContent<Members>());
    }

    private async Task InviteAsync(TeamActor owner, string email, string role)
    {
        var created = await _portal.WithAsync<InvitationService, Result<InvitationCreated>>(s => s.CreateAsync(owner, email, role));
        Assert.True(created.IsSuccess, created.Problem?.Message);
    }
}
