using System.Net;
using Dataraven.Portal.Security;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;

namespace Dataraven.Tests.Hosting;

public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private const string KnownProxy = "10.9.0.1";
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        var options = new TestPortalOptions();
        options.Settings["ForwardedHeaders:KnownProxies"] = KnownProxy;
        options.Settings["Accounts:AttemptsPerMinute"] = "1000";
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync();
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Theory]
    [InlineData("/account/login", SecurityHeaders.PagePolicy)]
    [InlineData("/v1/teams/00000000-0000-0000-0000-000000000000/usage", SecurityHeaders.PagePolicy)]
    [InlineData("/openapi/v1.json", SecurityHeaders.PagePolicy)]
    [InlineData("/api-docs", SecurityHeaders.ApiReferencePolicy)]
    public async Task Response_CarriesTheSecurityHeaders(string path, string policy)
    {
        var response = await _portal.CreateClient().GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(policy, csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");
    }

    [Fact]
    public async Task PagePolicy_AllowsNoInlineScript()
    {
        Assert.Contains("script-src 'self';", SecurityHeaders.PagePolicy);
        var html = await _portal.CreateClient().GetStringAsync("/account/login");
        // Every script element of the page loads a file; none carries code of its own.
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
    }

    [Fact]
    public async Task SignIn_ThroughKnownProxyWithForwardedHttps_SecureCookieAndHsts()
    {
        var (response, cookie) = await SignInThroughAsync(KnownProxy);

        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task SignIn_FromUnknownAddressWithForwardedHttps_HeaderIgnored()
    {
        var (response, cookie) = await SignInThroughAsync("10.9.0.2");

        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ThroughKnownProxy_ThrottlesSeeTheForwardedClient()
    {
        await using var limited = await TestPortal.StartAsync(LowApiLimit());
        var counted = new List<HttpStatusCode>();
        foreach (var client in new[] { "203.0.113.7", "203.0.113.7", "203.0.113.8" })
        {
            var http = new HttpClient(limited.App.GetTestServer().CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(KnownProxy)))
            {
                BaseAddress = new Uri("http://localhost/"),
            };
            http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
            counted.Add((await http.GetAsync("/v1/teams/" + Guid.Empty + "/usage")).StatusCode);
        }

        // One request per client per minute: the second from .7 is refused, .8 has its own budget though all came via one proxy.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized], counted);
    }

    private static TestPortalOptions LowApiLimit()
    {
        var options = new TestPortalOptions();
        options.Settings["ForwardedHeaders:KnownProxies"] = KnownProxy;
        options.Settings["RateLimits:ApiPerMinute"] = "1";
        return options;
    }

    /// <summary>Signs in as a browser behind a TLS-terminating proxy would; returns the answer and its sign-in Set-Cookie.</summary>
    private async Task<(HttpResponseMessage Response, string Cookie)> SignInThroughAsync(string address)
    {
        var client = SignedInClient.CreateFormClient(_portal, IPAddress.Parse(address));
        client.BaseAddress = new Uri("http://portal.example.com/");
        var token = await SignedInClient.GetTokenAsync(client);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var response = await SignedInClient.SignInAsync(client, _team.OwnerEmail, TestPortal.Password, token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SignedInClient.AuthCookie + "=", StringComparison.Ordinal));
        return (response, cookie);
    }
}
