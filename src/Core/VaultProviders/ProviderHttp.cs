using System.Net;
using Dataraven.Core.Checks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Dataraven.Core.VaultProviders;

/// <summary>The outcome of one provider HTTP call: a final response, or why there is none.</summary>
internal sealed class ProviderHttpResult : IDisposable
{
    public HttpResponseMessage? Response { get; init; }

    /// <summary>Sanitized reason when <see cref="Response"/> is null (timeout, connection failure, redirect).</summary>
    public string? Failure { get; init; }

    public void Dispose() => Response?.Dispose();
}

/// <summary>
/// The HTTP providers' named clients: the standard resilience handler (total timeout, retries with exponential
/// backoff and jitter on transient failures honouring <c>Retry-After</c>, circuit breaker, attempt timeout) set from
/// <see cref="VaultProviderOptions"/>, over a primary handler that never follows redirects.
/// </summary>
public static class ProviderHttp
{
    internal static void AddProviderHttpClient(this IServiceCollection services, string name)
    {
        // The handler's total timeout bounds the call; HttpClient's own 100 s default would only fight it.
        services.AddHttpClient(name, c => c.Timeout = Timeout.InfiniteTimeSpan)
            // A redirect would carry the credential (a POSTed client secret, even) to whatever origin it names.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
                Configure(resilience, sp.GetRequiredService<IOptions<VaultProviderOptions>>().Value));
    }

    internal static void Configure(HttpStandardResilienceOptions resilience, VaultProviderOptions options)
    {
        resilience.TotalRequestTimeout.Timeout = options.TotalTimeout;
        resilience.AttemptTimeout.Timeout = options.AttemptTimeout;

        var retry = resilience.Retry;
        retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
        if (options.MaxRetries <= 0) retry.ShouldHandle = _ => PredicateResult.False();
        retry.Delay = options.RetryBaseDelay;
        var cap = options.MaxRetryAfter;
        retry.MaxDelay = cap;
        // The standard generator reads Retry-After; Polly does not apply MaxDelay to it, so a provider could ask for hours.
        var retryAfter = retry.DelayGenerator;
        if (retryAfter is not null)
        {
            retry.DelayGenerator = async args =>
            {
                var delay = await retryAfter(args).ConfigureAwait(false);
                return delay > cap ? cap : delay;
            };
        }

        var sampling = options.AttemptTimeout * 2;
        if (resilience.CircuitBreaker.SamplingDuration < sampling) resilience.CircuitBreaker.SamplingDuration = sampling;
    }

    /// <summary>408, 429 and 5xx are worth another attempt (the standard handler's own rule).</summary>
    public static bool IsTransient(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        return HttpClientResiliencePredicates.IsTransient(Outcome.FromResult(response));
    }

    /// <summary>Sends one request through the client's handlers. Timeouts, connection failures and redirects become <see cref="ProviderHttpResult.Failure"/>.</summary>
    internal static async Task<ProviderHttpResult> SendAsync(HttpClient client, Func<HttpRequestMessage> requestFactory,
        IEnumerable<string?> credentials, CancellationToken ct)
    {
        try
        {
            using var request = requestFactory();
            var response = await client.SendAsync(request, ct).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                return Fail($"answered with a redirect (HTTP {status}), which the portal does not follow; check the configured base URL");
            }
            return new ProviderHttpResult { Response = response };
        }
        catch (TimeoutRejectedException)
        {
            return Fail("did not answer in time");
        }
        catch (BrokenCircuitException)
        {
            return Fail("failed repeatedly, so calls are paused for a few seconds");
        }
        catch (HttpRequestException ex)
        {
            return Fail($"could not be reached ({ProviderMessages.Sanitize(ex.Message, credentials)})");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Fail("did not answer in time");
        }
        catch (Exception ex) when (ex is UriFormatException or InvalidOperationException or NotSupportedException)
        {
            // A relative or malformed Vaults:*:BaseUrl: an operator problem, reported without the URL's query.
            return Fail("could not be called: the configured base URL is invalid");
        }
    }

    private static ProviderHttpResult Fail(string failure) => new() { Failure = failure };

    /// <summary>
    /// The field status of a failed reference read: 429 rate_limited, 401/403 rejected, 404 missing when the provider says the
    /// secret itself is absent (else rejected: the connection's project/config/environment is wrong), 408/5xx unreachable.
    /// </summary>
    internal static CheckStatus ReadFailureStatus(HttpStatusCode status, bool secretNotFound) => status switch
    {
        HttpStatusCode.TooManyRequests => CheckStatus.RateLimited,
        HttpStatusCode.NotFound when secretNotFound => CheckStatus.Missing,
        _ when IsTransient(status) => CheckStatus.Unreachable,
        _ when (int)status is >= 400 and < 500 => CheckStatus.Rejected,
        _ => CheckStatus.Unreachable,
    };

    internal static string BuildUrl(string baseUrl, string pathAndQuery) => baseUrl.TrimEnd('/') + pathAndQuery;
}
