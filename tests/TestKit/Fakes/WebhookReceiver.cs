using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Fakes;

/// <summary>One request the receiver got, with whether its signature verified (by the receiver's own HMAC code).</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, string Path, bool SignatureValid, long ReceivedTicks);

/// <summary>
/// A webhook endpoint for the tests: Kestrel on 127.0.0.1, answering the queued status codes (then 200), and verifying
/// every request's Standard Webhooks signature with an implementation of its own (not the portal's).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses = new();
    private readonly ConcurrentDictionary<string, string> _secrets = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();
    public string BaseUrl { get; private set; } = "";
    public int Port { get; private set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var id = http.Request.Headers["webhook-id"].ToString();
            var timestamp = http.Request.Headers["webhook-timestamp"].ToString();
            var signature = http.Request.Headers["webhook-signature"].ToString();
            var path = http.Request.Path.Value ?? "";
            var valid = receiver._secrets.TryGetValue(path, out var secret) && Verify(secret, id, timestamp, body, signature);
            receiver.Received.Enqueue(new ReceivedWebhook(id, timestamp, signature, body, path, valid, Stopwatch.GetTimestamp()));
            return Results.StatusCode(receiver._statuses.TryDequeue(out var status) ? status : 200);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        receiver.Port = address.Port;
        receiver.BaseUrl = $"http://127.0.0.1:{address.Port}";
        return receiver;
    }

    /// <summary>A new path on the receiver for one webhook; its deliveries are verified with <paramref name="secret"/> once set.</summary>
    public string NewUrl(out string path)
    {
        path = $"/hook-{Guid.NewGuid():N}";
        return BaseUrl + path;
    }

    public void SetSecret(string path, string secret) => _secrets[path] = secret;

    /// <summary>The next answers, in order; 200 after them.</summary>
    public void Answer(params int[] statuses)
    {
        foreach (var s in statuses)
        {
            _statuses.Enqueue(s);
        }
    }

    public IReadOnlyList<ReceivedWebhook> At(string path) => Received.Where(r => r.Path == path).ToList();

    /// <summary>The test's own check: "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>", key = the bytes after whsec_.</summary>
    public static bool Verify(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal) || string.IsNullOrEmpty(id) || !long.TryParse(timestamp, out _))
        {
            return false;
        }
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret.Substring("whsec_".Length)));
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body));
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',');
            if (comma > 0 && part[..comma] == "v1"
                && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(part[(comma + 1)..]), expected))
            {
                return true;
            }
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
