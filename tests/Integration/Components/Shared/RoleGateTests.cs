using Bunit;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Shared;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Teams;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Shared;

public sealed class RoleGateTests
{
    private static readonly Guid TeamId = Guid.NewGuid();

    [Theory]
    [InlineData(TeamRole.Admin)]
    [InlineData(TeamRole.Owner)]
    public async Task RoleAtOrAboveTheMinimum_SeesTheAction(TeamRole role)
    {
        await using var ctx = NewContext();

        var gate = RenderGate(ctx, Member(role), TeamPermission.ManageApiKeys);

        Assert.Single(gate.FindAll("#guarded-action"));
        Assert.Empty(gate.FindAll("[data-testid=not-allowed]"));
    }

    [Theory]
    [InlineData(TeamRole.Viewer, "a Viewer")]
    [InlineData(TeamRole.Operator, "an Operator")]
    public async Task RoleBelowTheMinimum_IsToldWhyInsteadOfSeeingTheAction(TeamRole role, string named)
    {
        await using var ctx = NewContext();

        var gate = RenderGate(ctx, Member(role), TeamPermission.ManageApiKeys);

        Assert.Empty(gate.FindAll("#guarded-action"));
        var panel = gate.Find("[data-testid=not-allowed]").TextContent;
        Assert.Contains("Managing API keys needs the Admin role or higher.", panel);
        Assert.Contains($"You are {named} in Acme.", panel);
    }

    [Theory]
    [MemberData(nameof(DocumentedRoles.EveryRoleAndPermission), MemberType = typeof(DocumentedRoles))]
    public async Task EveryRoleAndPermission_ShowsTheContentOrSaysWhichRolesMay(TeamRole role, TeamPermission permission)
    {
        await using var ctx = NewContext();

        var gate = RenderGate(ctx, Member(role), permission);

        if (DocumentedRoles.Holders[permission].Contains(role))
        {
            Assert.Single(gate.FindAll("#guarded-action"));
            Assert.Empty(gate.FindAll("[data-testid=not-allowed]"));
        }
        else
        {
            Assert.Empty(gate.FindAll("#guarded-action"));
            Assert.Contains($"Managing API keys needs {DocumentedRoles.Requirement[permission]}. You are", gate.Find("[data-testid=not-allowed]").TextContent);
        }
    }

    [Fact]
    public async Task NoTeam_ShowsTheNoTeamPanel()
    {
        await using var ctx = NewContext();

        var gate = RenderGate(ctx, new PortalContext(Guid.NewGuid(), "lone@example.com", [], null), TeamPermission.ReadTeam);

        Assert.Empty(gate.FindAll("#guarded-action"));
        Assert.Contains("lone@example.com", gate.Find("[data-testid=no-team]").TextContent);
    }

    private static PortalContext Member(TeamRole role)
    {
        var membership = new Membership(TeamId, "Acme", "free", role);
        return new PortalContext(Guid.NewGuid(), "someone@example.com", [membership], membership);
    }

    private static IRenderedComponent<CascadingValue<PortalContext>> RenderGate(BunitContext ctx, PortalContext portal, TeamPermission permission) =>
        ctx.Render<CascadingValue<PortalContext>>(p => p
            .Add(c => c.Value, portal)
            .AddChildContent<RoleGate>(g => g
                .Add(r => r.Permission, permission)
                .Add(r => r.Purpose, "Managing API keys")
                .AddChildContent("<button id=\"guarded-action\">Create key</button>")));

    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }
}
