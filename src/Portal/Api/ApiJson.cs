using System.Text.Json;
using System.Text.Json.Serialization;
using Dataraven.Core.Common;

namespace Dataraven.Portal.Api;

/// <summary>Reads /v1 request bodies: 64 KiB at most, strict JSON, errors that name the field.</summary>
public static class ApiJson
{
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.PropertyNameCaseInsensitive = false;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // "Last one wins" would let {"role": "viewer", "role": "owner"} mean something other than it appears to.
        o.AllowDuplicateProperties = false;
        return o;
    }

    /// <summary>
    /// The body as <typeparamref name="T"/>, or the problem to answer (400 validation_failed, 413 payload_too_large,
    /// 415 unsupported_media_type when a body comes without a JSON <c>Content-Type</c>).
    /// </summary>
    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return new PayloadTooLargeProblem();
        }
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return new PayloadTooLargeProblem();
            }
            buffer.Write(chunk, 0, read);
        }
        // A missing body is a missing field, whatever its media type; a body of another media type is refused.
        if (buffer.Length > 0 && !request.HasJsonContentType())
        {
            return new UnsupportedMediaTypeProblem();
        }
        if (buffer.Length == 0)
        {
            return ValidationProblem.For("body", "A JSON object is required.");
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options);
            return value is null ? ValidationProblem.For("body", "A JSON object is required.") : value;
        }
        catch (JsonException e)
        {
            return ValidationProblem.For(FieldOf(e), MessageOf(e));
        }
    }

    /// <summary>"$.field_mappings[1].reference" becomes "field_mappings[1].reference"; the root becomes "body".</summary>
    private static string FieldOf(JsonException e)
    {
        var path = e.Path is null or "$" ? "" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path.TrimStart('$');
        if ((UnknownMember(e) ?? DuplicateMember(e)) is { } member && !path.EndsWith(member, StringComparison.Ordinal))
        {
            // Depending on where the reader stopped, the path names the unknown member or its parent.
            path = path.Length == 0 ? member : $"{path}.{member}";
        }
        return path.Length == 0 ? "body" : path;
    }

    private static string? UnknownMember(JsonException e) => QuotedMember(e, "The JSON property '", "could not be mapped");

    private static string? DuplicateMember(JsonException e) => QuotedMember(e, "Duplicate property '", "encountered");

    // Objects name the property in the message; dictionaries only in the path.
    private static bool IsDuplicate(JsonException e) => e.Message.StartsWith("Duplicate propert", StringComparison.Ordinal);

    /// <summary>The property name System.Text.Json quotes in its message after <paramref name="marker"/>.</summary>
    private static string? QuotedMember(JsonException e, string marker, string mustContain)
    {
        var message = e.Message;
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0 || !message.Contains(mustContain, StringComparison.Ordinal))
        {
            return null;
        }
        start += marker.Length;
        var end = message.IndexOf('\'', start);
        return end > start ? message[start..end] : null;
    }

    private static string MessageOf(JsonException e) =>
        UnknownMember(e) is not null ? "Unknown field."
        : IsDuplicate(e) ? "Appears more than once; give each field once."
        : e.Path is null or "$" ? "The body is not valid JSON."
        : "Has the wrong type or is not valid JSON.";
}

public sealed record UnsupportedMediaTypeProblem()
    : Problem("unsupported_media_type", "The request body must be JSON, sent with Content-Type: application/json.");

public sealed record PayloadTooLargeProblem()
    : Problem("payload_too_large", $"The request body is larger than {ApiJson.MaxBodyBytes / 1024} KiB.");
