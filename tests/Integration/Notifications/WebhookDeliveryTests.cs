using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dataraven.Core.Notifications;
using Dataraven.Core.Notifications.Webhooks;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Dataraven.Tests.Notifications;

/// <summary>The send-time address guard, on the real sender against the local receiver.</summary>
public sealed class WebhookSsrfTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private sealed class FixedResolver(params IPAddress[] answer) : IWebhookHostResolver
    {
        public int Calls;

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(answer);
        }
    }

    private static WebhookDelivery Delivery() => new()
    {
        Id = Guid.NewGuid(), Event = "webhook.test", Body = """{"type":"webhook.test"}""", CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow,
    };

    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static WebhookSender Sender(bool allowPrivate, IWebhookHostResolver? resolver = null, int timeoutSeconds = 3) =>
        new(Options.Create(new WebhooksOptions { AllowPrivateNetworks = allowPrivate, TimeoutSeconds = timeoutSeconds }),
            resolver ?? new DnsWebhookHostResolver(), TimeProvider.System);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")] // a DNS name that resolves to 127.0.0.1 / ::1
    public async Task Loopback_IsRefusedWithoutTheFlag_AndNothingArrives(string host)
    {
        using var sender = Sender(allowPrivate: false);
        var attempt = await sender.SendAsync($"http://{host}:{_receiver.Port}/hook", Delivery(), Secret, CancellationToken.None);
        Assert.False(attempt.Delivered);
        Assert.False(attempt.Retry);
        Assert.Contains("public addresses", attempt.Error);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task TheMetadataAddress_IsRefused()
    {
        using var sender = Sender(allowPrivate: false);
        var attempt = await sender.SendAsync("https://169.254.169.254/latest/meta-data/", Delivery(), Secret, CancellationToken.None);
        Assert.False(attempt.Delivered);
        Assert.Contains("169.254.169.254", attempt.Error);
    }

    [Fact]
    public async Task AHostThatResolvesInside_AtSendTime_IsRefused_AndTheCheckedAddressIsTheOneUsed()
    {
        var inside = new FixedResolver(IPAddress.Loopback);
        using (var refusing = Sender(allowPrivate: false, inside))
        {
            var attempt = await refusing.SendAsync($"https://hooks.example.test:{_receiver.Port}/hook", Delivery(), Secret, CancellationToken.None);
            Assert.False(attempt.Delivered);
            Assert.Contains("127.0.0.1", attempt.Error);
            Assert.Equal(1, inside.Calls);
        }
        Assert.Empty(_receiver.Received);

        // With the flag, the connection goes to the resolved address (no second lookup: the name does not exist in DNS).
        var url = _receiver.NewUrl(out var path).Replace("127.0.0.1", "hooks.example.test");
        _receiver.SetSecret(path, Secret);
        using var allowing = Sender(allowPrivate: true, new FixedResolver(IPAddress.Loopback));
        var delivered = await allowing.SendAsync(url, Delivery(), Secret, CancellationToken.None);
        Assert.True(delivered.Delivered, delivered.Error);
        Assert.True(Assert.Single(_receiver.At(path)).SignatureValid);
    }

    [Fact]
    public async Task Redirects_AreNotFollowed()
    {
        await using var redirector = await RedirectServer.StartAsync(_receiver.BaseUrl + "/elsewhere");
        using var sender = Sender(allowPrivate: true);
        var attempt = await sender.SendAsync(redirector.Url, Delivery(), Secret, CancellationToken.None);
        Assert.False(attempt.Delivered);
        Assert.False(attempt.Retry);
        Assert.Equal(307, attempt.StatusCode);
        Assert.Empty(_receiver.Received);
    }

    private sealed class RedirectServer : IAsyncDisposable
    {
        private readonly Microsoft.AspNetCore.Builder.WebApplication _app;

        private RedirectServer(Microsoft.AspNetCore.Builder.WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<RedirectServer> StartAsync(string target)
        {
            var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/{**path}", () => Microsoft.AspNetCore.Http.Results.Redirect(target, permanent: false, preserveMethod: true));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
            return new RedirectServer(app, address + "/hook");
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}

/// <summary>A restart between two attempts: the second portal process (same database and keys) delivers the retry.</summary>
public sealed class WebhookRestartTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dr-webhook-restart-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private TestPortalOptions Options()
    {
        var options = new TestPortalOptions();
        options.Settings["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(_dir, "portal.db")}";
        options.Settings["CredentialStore:Local:Key"] = Convert.ToBase64String(new byte[32]);
        options.Settings["CredentialStore:Local:Path"] = Path.Combine(_dir, "credentials");
        options.Settings["DataProtection:KeysPath"] = Path.Combine(_dir, "keys");
        options.Settings["Webhooks:AllowPrivateNetworks"] = "true";
        options.Settings["Webhooks:DispatcherEnabled"] = "false";
        options.Services = s => s.AddSingleton<TimeProvider>(_clock);
        return options;
    }

    [Fact]
    public async Task AnAttemptBeforeTheRestart_IsRetriedAfterIt_WithTheSameIdAndAValidSignature()
    {
        var url = _receiver.NewUrl(out var path);
        string webhookId;
        await using (var first = await TestPortal.StartAsync(Options()))
        {
            var team = await first.CreateTeamAsync("Restart", "pro");
            var client = first.CreateClient(team.OwnerKey);
            var created = await (await client.PostJsonAsync($"/v1/teams/{team.TeamId}/webhooks", new { url, events = new[] { "*" } }))
                .AssertStatusAsync(HttpStatusCode.Created);
            webhookId = created["id"]!.GetValue<string>();
            _receiver.SetSecret(path, created["secret"]!.GetValue<string>());
            _receiver.Answer(503);
            await (await client.PostJsonAsync($"/v1/teams/{team.TeamId}/webhooks/{webhookId}/test", new { })).AssertStatusAsync(HttpStatusCode.Accepted);
            Assert.Equal(1, await first.Services.GetRequiredService<WebhookDispatcher>().RunOnceAsync());
        }
        _clock.Advance(TimeSpan.FromSeconds(6));
        await using (var second = await TestPortal.StartAsync(Options()))
        {
            Assert.Equal(1, await second.Services.GetRequiredService<WebhookDispatcher>().RunOnceAsync());
            await using var scope = second.Services.CreateAsyncScope();
            var delivery = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().WebhookDeliveries.AsNoTracking()
                .SingleAsync(d => d.WebhookId == Guid.Parse(webhookId));
            Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
            Assert.Equal(2, delivery.Attempt);
        }
        var got = _receiver.At(path);
        Assert.Equal(2, got.Count);
        Assert.Equal(got[0].Id, got[1].Id);
        Assert.All(got, g => Assert.True(g.SignatureValid));
    }
}

/// <summary>Delivery latency from the committed change to receipt, with the real dispatcher and clock.</summary>
public sealed class WebhookLatencyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;
    private TestPortal _portal = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        var options = new TestPortalOptions();
        options.Settings["Webhooks:AllowPrivateNetworks"] = "true";
        _portal = await TestPortal.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task OneHundredEvents_ChangeToReceipt_P50AndP95()
    {
        var team = await _portal.CreateTeamAsync("Latency", "pro");
        var url = _receiver.NewUrl(out var path);
        var created = await (await _portal.CreateClient(team.OwnerKey).PostJsonAsync($"/v1/teams/{team.TeamId}/webhooks",
            new { url, events = new[] { "*" } })).AssertStatusAsync(HttpStatusCode.Created);
        _receiver.SetSecret(path, created["secret"]!.GetValue<string>());

        const int count = 100;
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            long committed;
            await using (var scope = _portal.Services.CreateAsyncScope())
            {
                scope.ServiceProvider.GetRequiredService<INotificationEvents>()
                    .Raise(team.TeamId, NotificationEventTypes.SecretRecovered, new NotificationTarget("secret", Guid.NewGuid(), $"latency-{i}"));
                await scope.ServiceProvider.GetRequiredService<PortalDbContext>().SaveChangesAsync();
                committed = Stopwatch.GetTimestamp();
            }
            var deadline = Stopwatch.StartNew();
            ReceivedWebhook? got;
            while ((got = _receiver.At(path).ElementAtOrDefault(i)) is null)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"event {i} was not delivered within 30 s");
                await Task.Delay(2);
            }
            Assert.True(got.SignatureValid);
            latencies.Add(Stopwatch.GetElapsedTime(committed, got.ReceivedTicks).TotalMilliseconds);
        }
        latencies.Sort();
        var p50 = latencies[count / 2 - 1];
        var p95 = latencies[(int)Math.Ceiling(count * 0.95) - 1];
        output.WriteLine($"Webhook delivery latency, change committed -> received, {count} events: p50 {p50:F1} ms, p95 {p95:F1} ms, max {latencies[^1]:F1} ms");
        Console.WriteLine($"WEBHOOK-LATENCY p50={p50:F1}ms p95={p95:F1}ms max={latencies[^1]:F1}ms");
        Assert.Equal(count, _receiver.At(path).Select(r => r.Id).Distinct().Count());
        // The dispatcher is woken by the commit: well under its 2 s poll.
        Assert.True(p95 < 2000, $"p95 {p95} ms");
    }
}
