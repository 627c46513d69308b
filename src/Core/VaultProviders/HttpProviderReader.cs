using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dataraven.Core.Checks;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.VaultProviders;

/// <summary>How one HTTP provider answers a secret read: where the value is and which failure means "no such secret".</summary>
/// <param name="ValueOf">The value in a successful answer's JSON, or null.</param>
/// <param name="IsSecretNotFound">On the provider's own (unsanitized) error message: does a 404 mean the secret itself is absent?</param>
/// <param name="Missing">The message for a secret that is absent, by its name (without the HTTP status).</param>
internal sealed record SecretAnswer(Func<JsonElement, string?> ValueOf, Func<string, bool> IsSecretNotFound, Func<string, string> Missing);

/// <summary>
/// What the HTTP providers (Doppler, Infisical) share in reading an answer: the error body's message in the provider's
/// own documented shape, the status of a failed read, the outcome of a failed verification, the log line of a read,
/// every message under the provider's name and sanitized against the credentials and every value read so far.
/// </summary>
/// <param name="provider">The provider's name in messages and logs.</param>
/// <param name="errorProperties">The properties of the provider's JSON error body that carry its message, in order.</param>
internal sealed class HttpProviderReader(string provider, IReadOnlyList<string> errorProperties, ILogger logger)
{
    /// <summary>Doppler's errors: <c>{"messages": [...], "success": false}</c>.</summary>
    public static readonly IReadOnlyList<string> DopplerErrorBody = ["messages"];

    /// <summary>Infisical's errors: <c>{reqId, statusCode, message, error}</c>, <c>message</c> a string or an array.</summary>
    public static readonly IReadOnlyList<string> InfisicalErrorBody = ["message", "error"];

    /// <summary>A GET with the bearer token, built anew for every attempt.</summary>
    public static Func<HttpRequestMessage> BearerGet(string url, string token, bool acceptJson = false) => () =>
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (acceptJson) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    };

    /// <summary>A failed answer's message: <see cref="Raw"/> as sent, to classify only; <see cref="Suffix"/>, sanitized, to show.</summary>
    public sealed record Error(string? Raw, string Suffix);

    public async Task<Error> ReadErrorAsync(HttpResponseMessage response, IEnumerable<string?> secrets, CancellationToken ct)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return new Error(null, "");
        }
        var raw = ProviderMessages.ExtractErrorMessage(body, errorProperties);
        var detail = raw is null ? null : ProviderMessages.Sanitize(raw, secrets);
        return new Error(raw, string.IsNullOrEmpty(detail) ? "" : $": {detail}");
    }

    /// <summary>
    /// A failed verification call: the provider's own rejections by status (<paramref name="rejected"/>), then 408/429/5xx
    /// unavailable, other 4xx refused, anything else unexpected. Success when the call succeeded.
    /// </summary>
    public async Task<ProviderCheck> VerificationAsync(ProviderHttpResult result, IEnumerable<string?> secrets,
        IReadOnlyDictionary<HttpStatusCode, string> rejected, CancellationToken ct)
    {
        if (result.Response is not { } response)
        {
            return new ProviderCheck(ProviderOutcome.Unreachable, $"{provider} {result.Failure}.");
        }
        if (response.IsSuccessStatusCode) return ProviderCheck.Success;

        var status = (int)response.StatusCode;
        var suffix = (await ReadErrorAsync(response, secrets, ct).ConfigureAwait(false)).Suffix;
        return rejected.TryGetValue(response.StatusCode, out var because)
            ? new ProviderCheck(ProviderOutcome.Rejected, $"{provider} {because} (HTTP {status}){suffix}")
            : ProviderHttp.IsTransient(response.StatusCode)
                ? new ProviderCheck(ProviderOutcome.Unreachable, $"{provider} is unavailable (HTTP {status}){suffix}")
                : status is >= 400 and < 500
                    ? new ProviderCheck(ProviderOutcome.Rejected, $"{provider} refused the request (HTTP {status}){suffix}")
                    : new ProviderCheck(ProviderOutcome.Unreachable, $"{provider} answered unexpectedly (HTTP {status}){suffix}");
    }

    /// <summary>
    /// Reads each reference with its own request, in order; every value read joins <paramref name="secrets"/> so that no
    /// later message can carry it.
    /// </summary>
    public async Task<IReadOnlyList<ReferenceRead>> ReadEachAsync(HttpClient client, IReadOnlyList<string> references,
        Func<string, Func<HttpRequestMessage>> requestOf, SecretAnswer answer, List<string?> secrets, CancellationToken ct)
    {
        var reads = new List<ReferenceRead>(references.Count);
        foreach (var name in references)
        {
            using var result = await ProviderHttp.SendAsync(client, requestOf(name), secrets, ct).ConfigureAwait(false);
            var read = await ReadSecretAsync(result, name, answer, secrets, ct).ConfigureAwait(false);
            if (read.Value is not null) secrets.Add(read.Value);
            logger.Log(read.Status == CheckStatus.Ok ? LogLevel.Information : LogLevel.Warning,
                "{provider} read of {Reference}: {Status} (HTTP {HttpStatus}): {Message}",
                provider, name, read.Status.ToWire(), result.Response is { } r ? (int)r.StatusCode : 0, read.Message ?? "ok");
            reads.Add(read);
        }
        return reads;
    }

    private async Task<ReferenceRead> ReadSecretAsync(ProviderHttpResult result, string name, SecretAnswer answer, List<string?> secrets,
        CancellationToken ct)
    {
        if (result.Response is not { } response)
        {
            return ReferenceRead.Failed(CheckStatus.Unreachable, $"{provider} {result.Failure}.");
        }
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var value = await ReadValueAsync(response, answer.ValueOf, ct).ConfigureAwait(false);
            return value is null
                ? ReferenceRead.Failed(CheckStatus.Unreachable, $"{provider} answered without a secret value.")
                : ReferenceRead.Found(value);
        }

        // Classified on the provider's own words: the sanitized text may have lost them (a credential can contain "secret").
        var error = await ReadErrorAsync(response, secrets, ct).ConfigureAwait(false);
        var readStatus = ProviderHttp.ReadFailureStatus(response.StatusCode, error.Raw is { } raw && answer.IsSecretNotFound(raw));
        var message = readStatus switch
        {
            CheckStatus.Missing => $"{answer.Missing(name)} (HTTP {status}){error.Suffix}",
            CheckStatus.RateLimited => $"{provider} rate limit reached (HTTP {status}){error.Suffix}",
            CheckStatus.Unreachable => $"{provider} is unavailable (HTTP {status}){error.Suffix}",
            _ => $"{provider} refused the read (HTTP {status}){error.Suffix}",
        };
        return ReferenceRead.Failed(readStatus, message);
    }

    private static async Task<string?> ReadValueAsync(HttpResponseMessage response, Func<JsonElement, string?> valueOf, CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct)
                .ConfigureAwait(false);
            return valueOf(doc.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
