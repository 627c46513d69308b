using Bunit;
using Dataraven.Core.Tiers;
using Dataraven.Portal.Components.Shared;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Shared;

public sealed class UpgradePromptTests
{
    private static readonly LimitStatus Full = new(TierPlans.Free, LimitedResource.VaultConnections, 1, 1);

    [Fact]
    public async Task Owner_IsSentToThePlanPage()
    {
        await using var ctx = NewContext();

        var prompt = ctx.Render<UpgradePrompt>(p => p.Add(c => c.Status, Full).Add(c => c.CanUpgrade, true));

        Assert.Equal("/plan", prompt.Find("[data-testid=upgrade-now]").GetAttribute("href"));
        Assert.Empty(prompt.FindAll("[data-testid=ask-owner]"));
        Assert.Contains("allows 1 vault connection; this team has 1", prompt.Markup);
    }

    [Fact]
    public async Task OthersThanOwners_AreToldToAskAnOwner_WithoutAnUpgradeButton()
    {
        await using var ctx = NewContext();

        var prompt = ctx.Render<UpgradePrompt>(p => p.Add(c => c.Status, Full).Add(c => c.CanUpgrade, false));

        Assert.Contains("Ask an Owner of your team to upgrade", prompt.Find("[data-testid=ask-owner]").TextContent);
        Assert.Empty(prompt.FindAll("[data-testid=upgrade-now]"));
    }

    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }
}
