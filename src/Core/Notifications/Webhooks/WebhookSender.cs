using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Notifications.Webhooks;

/// <summary>The address a webhook's host resolved to is not one the portal may call (private, loopback, link-local, metadata).</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);

/// <summary>Which addresses a webhook may reach: public unicast only, unless <c>Webhooks:AllowPrivateNetworks</c>.</summary>
public static class WebhookAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 // "this" network
                     || b[0] == 10
                     || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // carrier-grade NAT
                     || b[0] == 127
                     || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata 169.254.169.254
                     || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                     || (b[0] == 192 && b[1] == 0 && b[2] == 2)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113)
                     || b[0] >= 224); // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
            {
                return false;
            }
            var b = address.GetAddressBytes();
            if ((b[0] & 0xFE) == 0xFC) // fc00::/7 unique local, fd00::/8 (fd00:ec2::254 metadata)
            {
                return false;
            }
            // NAT64 (64:ff9b::/96) and IPv4-compatible addresses carry an IPv4 address: judge that one.
            if ((b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) || b.Take(12).All(x => x == 0))
            {
                return IsPublic(new IPAddress(b[12..]));
            }
            return true;
        }
        return false;
    }
}

/// <summary>How one attempt ended.</summary>
public sealed record WebhookAttempt(bool Delivered, bool Retry, int? StatusCode, string? Error);

/// <summary>Resolves a webhook's host at send time (a seam for tests that make DNS answer differently).</summary>
public interface IWebhookHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// Sends one signed attempt: no redirects, no proxy, a timeout per attempt, and a connection only to the address that was
/// resolved and checked at send time (so a DNS answer that changes between the check and the connect cannot reach inside).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly IOptions<WebhooksOptions> _options;
    private readonly IWebhookHostResolver _resolver;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<WebhooksOptions> options, IWebhookHostResolver resolver, TimeProvider time)
    {
        _options = options;
        _resolver = resolver;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.TimeoutSeconds)),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("DataRaven-Webhooks/1.0");
    }

    public async Task<WebhookAttempt> SendAsync(string url, WebhookDelivery delivery, string secret, CancellationToken ct)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.MessageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, delivery.MessageId, timestamp, delivery.Body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _options.Value.TimeoutSeconds)));
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300)
            {
                return new WebhookAttempt(true, false, code, null);
            }
            var retry = code == 429 || code >= 500;
            var error = code is >= 300 and < 400 ? $"HTTP {code}: redirects are not followed" : $"HTTP {code}";
            return new WebhookAttempt(false, retry, code, error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookAttempt(false, true, null, $"No answer within {_options.Value.TimeoutSeconds} s");
        }
        catch (HttpRequestException e) when (Find<WebhookAddressRefusedException>(e) is { } refused)
        {
            return new WebhookAttempt(false, false, null, refused.Message);
        }
        catch (HttpRequestException e)
        {
            // The kind of failure only: an exception message can quote the server.
            return new WebhookAttempt(false, true, null, $"Network error: {e.HttpRequestError}");
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await _resolver.ResolveAsync(host, ct);
        if (addresses.Length == 0)
        {
            throw new WebhookAddressRefusedException($"The host {host} did not resolve.");
        }
        if (!_options.Value.AllowPrivateNetworks && addresses.FirstOrDefault(a => !WebhookAddresses.IsPublic(a)) is { } refused)
        {
            throw new WebhookAddressRefusedException(
                $"The host {host} resolves to {refused}, a private, loopback or link-local address: webhooks may only call public addresses.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Exactly the addresses checked above, never a second lookup.
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
    }

    public void Dispose() => _client.Dispose();
}
