using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Dataraven.Core.VaultProviders;

/// <summary>The outcome of one resilient HTTP call: a final response, or why there is none.</summary>
internal sealed class ProviderHttpResult : IDisposable
{
    public HttpResponseMessage? Response { get; init; }

    /// <summary>Sanitized reason when <see cref="Response"/> is null (timeout, connection failure).</summary>
    public string? Failure { get; init; }

    public int Attempts { get; init; }

    public void Dispose() => Response?.Dispose();
}

/// <summary>
/// Polly.Core pipeline shared by the HTTP providers: overall timeout, then retries with exponential backoff
/// and jitter on 429, 5xx, connection errors and attempt timeouts (honouring <c>Retry-After</c>, capped),
/// then a per-attempt timeout.
/// </summary>
public static class ProviderHttp
{
    public static ResiliencePipeline<HttpResponseMessage> BuildPipeline(VaultProviderOptions options, string provider, ILogger logger,
        TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var maxRetryAfter = options.MaxRetryAfter;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Timeout = options.TotalTimeout,
            OnTimeout = args =>
            {
                logger.LogWarning("{Provider} call timed out after {TimeoutMs} ms (all attempts)", provider, (int)args.Timeout.TotalMilliseconds);
                return default;
            },
        });

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = maxRetryAfter > TimeSpan.Zero ? maxRetryAfter : null,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
                DelayGenerator = args =>
                    new ValueTask<TimeSpan?>(args.Outcome.Result is { } response
                        ? RetryAfterDelay(response, maxRetryAfter, time.GetUtcNow())
                        : null),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Result is { } r
                        ? $"HTTP {(int)r.StatusCode}"
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    logger.LogWarning("{Provider} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms",
                        provider, args.AttemptNumber + 1, reason, (int)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>429 and 5xx are worth another attempt.</summary>
    public static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>
    /// The delay a response's <c>Retry-After</c> asks for (delta seconds or HTTP date), capped at <paramref name="cap"/>;
    /// null when the header is absent so the exponential backoff applies.
    /// </summary>
    public static TimeSpan? RetryAfterDelay(HttpResponseMessage response, TimeSpan cap, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header is null) return null;

        TimeSpan? delay = header.Delta ?? (header.Date is { } date ? date - now : null);
        if (delay is null) return null;
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        return delay > cap ? cap : delay;
    }

    /// <summary>Sends through the pipeline; a fresh request per attempt. Timeouts and connection failures become <see cref="ProviderHttpResult.Failure"/>.</summary>
    internal static async Task<ProviderHttpResult> SendAsync(ResiliencePipeline<HttpResponseMessage> pipeline, HttpClient client,
        Func<HttpRequestMessage> requestFactory, IEnumerable<string?> credentials, CancellationToken ct)
    {
        var attempts = 0;
        try
        {
            var response = await pipeline.ExecuteAsync(async token =>
            {
                Interlocked.Increment(ref attempts);
                using var request = requestFactory();
                return await client.SendAsync(request, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            return new ProviderHttpResult { Response = response, Attempts = attempts };
        }
        catch (TimeoutRejectedException)
        {
            return new ProviderHttpResult { Failure = $"did not answer in time ({attempts} attempt(s))", Attempts = attempts };
        }
        catch (HttpRequestException ex)
        {
            return new ProviderHttpResult
            {
                Failure = $"could not be reached ({ProviderMessages.Sanitize(ex.Message, credentials)})",
                Attempts = attempts,
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProviderHttpResult { Failure = $"did not answer in time ({attempts} attempt(s))", Attempts = attempts };
        }
        catch (Exception ex) when (ex is UriFormatException or InvalidOperationException or NotSupportedException)
        {
            // A relative or malformed Vaults:*:BaseUrl: an operator problem, reported without the URL's query.
            return new ProviderHttpResult { Failure = "could not be called: the configured base URL is invalid", Attempts = attempts };
        }
    }

    internal static async Task<string?> ReadErrorMessageAsync(HttpResponseMessage response, IEnumerable<string?> credentials, CancellationToken ct)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        var message = ProviderMessages.ExtractErrorMessage(body);
        return message is null ? null : ProviderMessages.Sanitize(message, credentials);
    }

    internal static string BuildUrl(string baseUrl, string pathAndQuery) => baseUrl.TrimEnd('/') + pathAndQuery;
}
