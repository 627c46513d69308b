using System.Net;
using System.Net.Http.Headers;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Xunit.Abstractions;

namespace Dataraven.Tests.Api;

/// <summary>The /v1 limit with a low configured value: per API key, and per client address without a valid key.</summary>
public sealed class RateLimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PerMinute = 5;
    private const int Fired = 12;
    private TestPortal _portal = null!;

    public async Task InitializeAsync()
    {
        var options = new TestPortalOptions();
        options.Settings["RateLimits:ApiPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Settings["RateLimits:InvitationAcceptPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _portal = await TestPortal.StartAsync(options);
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private HttpClient From(string address, string? key = null)
    {
        var handler = _portal.App.GetTestServer().CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));
        var client = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task OneKey_OverTheLimit_429RateLimitedWithRetryAfter_OtherKeysUnaffected()
    {
        var acme = await _portal.CreateTeamAsync("Acme");
        var globex = await _portal.CreateTeamAsync("Globex");
        // Two addresses for one key: the key, not the address, is what is counted.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < Fired; i++)
        {
            var response = await From(i % 2 == 0 ? "10.2.0.1" : "10.2.0.2", acme.OwnerKey).GetAsync($"/v1/teams/{acme.TeamId}/usage");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }
        var refusedCount = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        output.WriteLine($"one key, limit {PerMinute}/min: {Fired} requests, {refusedCount} refused with 429");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, PerMinute).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, Fired - PerMinute)), statuses);
        await refused!.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(refused!.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        // Same address, another key: its own budget.
        (await From("10.2.0.1", globex.OwnerKey).GetAsync($"/v1/teams/{globex.TeamId}/usage")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task InvitationLinks_CountedPerAddress_429AfterTheLimit()
    {
        // Guessing tokens from one address: the invitation page (policy "invitation-accept") refuses after the limit.
        await _portal.CreateTeamAsync("Initech");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Fired; i++)
        {
            statuses.Add((await From("10.4.0.1").GetAsync($"/invitations/guess-{i}")).StatusCode);
        }
        output.WriteLine($"invitation links, limit {PerMinute}/min: {Fired} requests, {statuses.Count(s => s == HttpStatusCode.TooManyRequests)} refused with 429");
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, PerMinute).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, Fired - PerMinute)), statuses);

        // Another address has its own budget.
        Assert.Equal(HttpStatusCode.OK, (await From("10.4.0.2").GetAsync("/invitations/guess-other")).StatusCode);
    }

    [Fact]
    public async Task WithoutAValidKey_CountedPerAddress()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Fired; i++)
        {
            statuses.Add((await From("10.3.0.1", "dr_not_a_key").GetAsync($"/v1/teams/{Guid.NewGuid()}/usage")).StatusCode);
        }
        var refusedCount = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        output.WriteLine($"invalid key from one address, limit {PerMinute}/min: {Fired} requests, {refusedCount} refused with 429");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, PerMinute).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, Fired - PerMinute)), statuses);
        Assert.Equal(HttpStatusCode.Unauthorized, (await From("10.3.0.2").GetAsync($"/v1/teams/{Guid.NewGuid()}/usage")).StatusCode);
    }
}
