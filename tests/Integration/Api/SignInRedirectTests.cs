using System.Net;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Api;

/// <summary>A real Kestrel server: it refuses header values the in-memory test server lets through.</summary>
public sealed class KestrelApiPortal : ApiPortalFixture
{
    protected override Task ConfigureAsync(TestPortalOptions options)
    {
        options.Kestrel = true;
        // Every case signs in from 127.0.0.1: the redirect, not the per-address throttle, is under test.
        options.Settings["Accounts:AttemptsPerMinute"] = "1000";
        return Task.CompletedTask;
    }
}

/// <summary>After signing in, the portal returns to the page asked for: local pages only, properly encoded.</summary>
public sealed class SignInRedirectTests(KestrelApiPortal portal) : ApiTestBase(portal), IClassFixture<KestrelApiPortal>
{
    public static TheoryData<string, string> ReturnUrls => new()
    {
        { "/secrets", "/secrets" },
        { "/secrets?tab=vault", "/secrets?tab=vault" },
        { "/secrets/café", "/secrets/caf%C3%A9" },
        { "/teams/ünïcödé?q=日本", "/teams/%C3%BCn%C3%AFc%C3%B6d%C3%A9?q=%E6%97%A5%E6%9C%AC" },
        { "/secrets/a%20b", "/secrets/a%20b" },
        { "https://evil.example/", "/" },
        { "//evil.example/", "/" },
        { "/\\evil.example/", "/" },
        { "javascript:alert(1)", "/" },
        { "secrets", "/secrets" },
        { "", "/" },
    };

    [Theory]
    [MemberData(nameof(ReturnUrls))]
    public async Task SignIn_WithReturnUrl_RedirectsToTheLocalPageEncoded(string returnUrl, string expected)
    {
        var form = await PageForm.LoadAsync(Portal, "/account/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        var response = await form.SubmitAsync("login", new Dictionary<string, string>
        {
            ["Input.Email"] = Acme.OwnerEmail,
            ["Input.Password"] = TestPortal.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.NonValidated["Location"].ToString();
        Assert.True(location.All(char.IsAscii), $"Location is not ASCII: {location}");
        var uri = new Uri(location, UriKind.RelativeOrAbsolute);
        Assert.Equal(expected, uri.IsAbsoluteUri ? uri.PathAndQuery : location);
        if (uri.IsAbsoluteUri)
        {
            Assert.Equal(Portal.BaseAddress!.Authority, uri.Authority);
        }
    }
}
