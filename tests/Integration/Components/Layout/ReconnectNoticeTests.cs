using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Dataraven.Portal.Components.Layout;
using MudBlazor;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Layout;

public sealed class ReconnectNoticeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaysThatUnsavedInputWasLost_OnlyAfterAReconnectReload(bool reloaded)
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.JSInterop.Setup<bool>("dataraven.takeReconnectReset").SetResult(reloaded);
        var notices = ctx.Render<MudSnackbarProvider>();

        ctx.Render<ReconnectNotice>();

        Assert.Single(ctx.JSInterop.Invocations["dataraven.takeReconnectReset"]);
        if (reloaded)
        {
            notices.WaitForAssertion(() => Assert.Contains(ReconnectNotice.Message, notices.Markup));
        }
        else
        {
            Assert.Empty(ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        }
    }
}
