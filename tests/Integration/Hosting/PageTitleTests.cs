using System.Text.RegularExpressions;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Hosting;

/// <summary>
/// Pages without a circuit (sign-in and the other account forms) keep the title they are served with: one
/// <c>&lt;title&gt;</c>, the page's own. A fixed title ahead of the page's was once what browsers showed for all of them.
/// </summary>
public sealed class PageTitleTests : IAsyncLifetime
{
    private TestPortal _portal = null!;

    public async Task InitializeAsync()
    {
        _portal = await TestPortal.StartAsync();
        await _portal.CreateTeamAsync();
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Theory]
    [InlineData("/account/login", "Sign in · DataRaven")]
    [InlineData("/account/forgot-password", "Forgot password · DataRaven")]
    public async Task StaticPage_HasOneTitle_ItsOwn(string path, string title)
    {
        var html = await _portal.CreateClient().GetStringAsync(path);

        var titles = Regex.Matches(html, "<title>([^<]*)</title>").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal([title], titles);
    }
}
