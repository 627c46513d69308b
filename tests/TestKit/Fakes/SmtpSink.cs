using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dataraven.Tests.Fakes;

/// <summary>
/// A small SMTP server on 127.0.0.1 (plain SMTP, no auth): enough of RFC 5321 for a real client (MailKit) to deliver
/// to it. Keeps each message's envelope and raw data. <see cref="FailNext"/> answers the next messages with a 451.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedEmail> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _accepting;
    private int _failNext;

    public sealed record ReceivedEmail(string From, IReadOnlyList<string> To, string Data);

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedEmail> Received => _received.ToArray();

    /// <summary>The settings that point the portal at this server.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(string from = "portal@example.com") =>
    [
        new("Email:Smtp:Host", "127.0.0.1"), new("Email:Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Email:Smtp:UseTls", "false"), new("Email:From", from),
    ];

    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>Waits for a message to <paramref name="to"/> matching <paramref name="match"/>, up to <paramref name="timeout"/>.</summary>
    public async Task<ReceivedEmail> WaitForAsync(string to, Func<ReceivedEmail, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = _received.FirstOrDefault(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase) && (match?.Invoke(m) ?? true));
            if (found is not null)
            {
                return found;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No email to {to} arrived; received: {_received.Count}.");
            }
            await _arrived.WaitAsync(left);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            string? from = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sink");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO":
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RSET":
                        from = null;
                        to.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "MAIL":
                        from = Address(line);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } d && d != ".")
                        {
                            data.AppendLine(d.StartsWith("..", StringComparison.Ordinal) ? d[1..] : d);
                        }
                        if (Interlocked.Decrement(ref _failNext) >= 0)
                        {
                            await writer.WriteLineAsync("451 Try again later");
                        }
                        else
                        {
                            _received.Enqueue(new ReceivedEmail(from ?? "", to.ToList(), data.ToString()));
                            _arrived.Release();
                            await writer.WriteLineAsync("250 OK queued");
                        }
                        from = null;
                        to.Clear();
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // A client that hung up, or the sink stopping.
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<');
        var end = line.IndexOf('>');
        return start >= 0 && end > start ? line[(start + 1)..end] : line[(line.IndexOf(':') + 1)..].Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
