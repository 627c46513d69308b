using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Fakes;

/// <summary>How the next requests of a fake provider fail before it answers normally again.</summary>
public enum FakeFailure
{
    /// <summary>429 with <c>Retry-After: {RetryAfterSeconds}</c>.</summary>
    TooManyRequests,

    /// <summary>500 with the provider's error body.</summary>
    ServerError,

    /// <summary>503 with the provider's error body.</summary>
    ServiceUnavailable,

    /// <summary>No answer for <see cref="FakeProviderServer.HangDuration"/> (past any client timeout).</summary>
    Hang,

    /// <summary>
    /// <see cref="FakeProviderServer.RedirectStatus"/> with <c>Location</c> = <see cref="FakeProviderServer.RedirectTo"/> plus the
    /// request's path and query (a hijacked or misconfigured base URL sending the client to another origin).
    /// </summary>
    Redirect,
}

/// <summary>One request a fake received.</summary>
public sealed record FakeRequest(string Method, string Path, string Query, bool HadAuthorization, TimeSpan ReceivedAt, int StatusCode);

/// <summary>
/// Base of the fake provider servers: a Kestrel app on 127.0.0.1 with a random port, a request log and
/// scenario switches (<see cref="FailNext"/>). No test framework dependency, so the E2E project can link it.
/// </summary>
public abstract class FakeProviderServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly List<(FakeFailure Failure, string? Path)> _failures = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    /// <summary>http://127.0.0.1:PORT (no trailing slash) once started.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The <c>Retry-After</c> seconds of <see cref="FakeFailure.TooManyRequests"/> (default 1).</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How long <see cref="FakeFailure.Hang"/> waits (default 30 s; ends early when the client disconnects or the fake stops).</summary>
    public TimeSpan HangDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The origin <see cref="FakeFailure.Redirect"/> points at (e.g. another fake's <see cref="BaseUrl"/>).</summary>
    public string RedirectTo { get; set; } = "http://127.0.0.1:9";

    /// <summary>The status of <see cref="FakeFailure.Redirect"/> (default 307, which keeps the method and body).</summary>
    public int RedirectStatus { get; set; } = StatusCodes.Status307TemporaryRedirect;

    private int _started;

    /// <summary>Requests that arrived so far, including those still being answered (a hung one is in <see cref="Requests"/> only once it ends).</summary>
    public int RequestsStarted => Volatile.Read(ref _started);

    /// <summary>Requests received so far, in order.</summary>
    public IReadOnlyList<FakeRequest> Requests => _requests.ToArray();

    /// <summary>
    /// The next <paramref name="count"/> requests fail with <paramref name="failure"/>: requests to any route, or only
    /// those whose path is <paramref name="path"/> (e.g. "/api/v3/secrets/raw").
    /// </summary>
    public void FailNext(int count, FakeFailure failure, string? path = null)
    {
        lock (_failures)
        {
            for (var i = 0; i < count; i++) _failures.Add((failure, path));
        }
    }

    /// <summary>Forget pending failures and the request log.</summary>
    public void Reset()
    {
        lock (_failures) _failures.Clear();
        _requests.Clear();
        Interlocked.Exchange(ref _started, 0);
    }

    private FakeFailure? TakeFailure(string path)
    {
        lock (_failures)
        {
            var index = _failures.FindIndex(f => f.Path is null || string.Equals(f.Path, path, StringComparison.OrdinalIgnoreCase));
            if (index < 0) return null;
            var failure = _failures[index].Failure;
            _failures.RemoveAt(index);
            return failure;
        }
    }

    protected async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = GetType().Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var receivedAt = _clock.Elapsed;
            Interlocked.Increment(ref _started);
            var hadAuth = context.Request.Headers.Authorization.Count > 0;
            try
            {
                if (TakeFailure(context.Request.Path.Value ?? "") is { } failure)
                {
                    await FailAsync(context, failure);
                }
                else
                {
                    await next(context);
                }
            }
            finally
            {
                _requests.Enqueue(new FakeRequest(context.Request.Method, context.Request.Path.Value ?? "",
                    context.Request.QueryString.Value ?? "", hadAuth, receivedAt, context.Response.StatusCode));
            }
        });
        MapRoutes(app);

        await app.StartAsync();
        _app = app;
        BaseUrl = app.Urls.First().TrimEnd('/');
    }

    private async Task FailAsync(HttpContext context, FakeFailure failure)
    {
        switch (failure)
        {
            case FakeFailure.TooManyRequests:
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests");
                break;
            case FakeFailure.ServerError:
                await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal server error");
                break;
            case FakeFailure.ServiceUnavailable:
                await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable");
                break;
            case FakeFailure.Hang:
                using (var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    try
                    {
                        await Task.Delay(HangDuration, cts.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
                await WriteErrorAsync(context, StatusCodes.Status504GatewayTimeout, "Gateway timeout");
                break;
            case FakeFailure.Redirect:
                context.Response.StatusCode = RedirectStatus;
                context.Response.Headers.Location = RedirectTo.TrimEnd('/') + context.Request.Path + context.Request.QueryString;
                break;
        }
    }

    protected abstract void MapRoutes(WebApplication app);

    /// <summary>Writes the provider's documented error body.</summary>
    protected abstract Task WriteErrorAsync(HttpContext context, int statusCode, string message);

    /// <summary>The bearer token of a request, or null.</summary>
    protected static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            try
            {
                await _app.StopAsync();
            }
            finally
            {
                await _app.DisposeAsync();
            }
        }
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
