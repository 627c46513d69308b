using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dataraven.Tests.Fakes;

/// <summary>
/// Backblaze B2's <c>b2_authorize_account</c> (https://www.backblaze.com/apidocs/b2-authorize-account), v3: HTTP Basic
/// <c>applicationKeyId:applicationKey</c> → 200 <c>{accountId, apiInfo: {storageApi: {allowed: {capabilities, ...}, apiUrl, ...}},
/// applicationKeyExpirationTimestamp, authorizationToken}</c>; errors <c>{"status", "code", "message"}</c>: 401 unauthorized.
/// </summary>
public sealed class FakeB2Server : FakeProviderServer
{
    private sealed record Key(string Secret, string[] Capabilities, long? ExpiresAtMs);

    private readonly ConcurrentDictionary<string, Key> _keys = new(StringComparer.Ordinal);

    private FakeB2Server() { }

    public static async Task<FakeB2Server> StartAsync()
    {
        var server = new FakeB2Server();
        await server.StartCoreAsync();
        return server;
    }

    public FakeB2Server AddKey(string keyId, string key, string[] capabilities, DateTimeOffset? expiresAt = null)
    {
        _keys[keyId] = new Key(key, capabilities, expiresAt?.ToUnixTimeMilliseconds());
        return this;
    }

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/b2api/v3/b2_authorize_account", async context =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            string? keyId = null, secret = null;
            if (header.StartsWith("Basic ", StringComparison.Ordinal))
            {
                try
                {
                    var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
                    if (pair.Length == 2) (keyId, secret) = (pair[0], pair[1]);
                }
                catch (FormatException)
                {
                }
            }
            if (keyId is null || !_keys.TryGetValue(keyId, out var key) || key.Secret != secret
                || key.ExpiresAtMs is { } ms && ms <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
            {
                await WriteErrorAsync(context, 401, "unauthorized");
                return;
            }
            await context.Response.WriteAsJsonAsync(new
            {
                accountId = "abc123def456",
                apiInfo = new
                {
                    storageApi = new
                    {
                        absoluteMinimumPartSize = 5000000,
                        apiUrl = BaseUrl,
                        downloadUrl = BaseUrl,
                        recommendedPartSize = 100000000,
                        s3ApiUrl = BaseUrl,
                        allowed = new { buckets = (object?)null, capabilities = key.Capabilities, namePrefix = (string?)null },
                        infoType = "storageApi",
                    },
                },
                applicationKeyExpirationTimestamp = key.ExpiresAtMs,
                authorizationToken = "4_fakeAuthToken" + Guid.NewGuid().ToString("N"),
            });
        });
    }

    protected override Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        var code = statusCode switch { 401 => "unauthorized", 429 => "too_many_requests", 503 => "service_unavailable", _ => "internal_error" };
        return context.Response.WriteAsJsonAsync(new { status = statusCode, code, message });
    }
}
