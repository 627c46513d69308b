using Bunit;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Layout;
using Dataraven.Portal.Hosting;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Layout;

public sealed class NavMenuTests
{
    private static readonly string[] Everyone = ["Overview", "Vault connections", "Secrets", "Activity", "Trash", "Plan", "Sign-in and security", "New team"];
    private static readonly string[] WithAdmin = ["Overview", "Vault connections", "Secrets", "Activity", "Credential requests", "Trash", "API keys", "Members", "Notifications", "Plan", "Sign-in and security", "New team"];

    [Theory]
    [InlineData(TeamRole.Owner, true)]
    [InlineData(TeamRole.Admin, true)]
    [InlineData(TeamRole.Operator, false)]
    [InlineData(TeamRole.Viewer, false)]
    public async Task Entries_ApiKeysAndMembersOnlyForOwnersAndAdmins(TeamRole role, bool administers)
    {
        await using var ctx = NewContext();
        var membership = new Membership(Guid.NewGuid(), "Acme", "free", role);

        var nav = ctx.Render<NavMenu>(p => p.Add(n => n.Context, new PortalContext(Guid.NewGuid(), "someone@example.com", [membership], membership)));

        Assert.Equal(administers ? WithAdmin : Everyone, nav.FindAll(".mud-nav-link-text").Select(e => e.TextContent));
    }

    [Fact]
    public async Task Entries_WithoutATeam_OnlyNewTeam()
    {
        await using var ctx = NewContext();

        var nav = ctx.Render<NavMenu>(p => p.Add(n => n.Context, new PortalContext(Guid.NewGuid(), "lone@example.com", [], null)));

        Assert.Equal(["New team"], nav.FindAll(".mud-nav-link-text").Select(e => e.TextContent));
    }

    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }
}
