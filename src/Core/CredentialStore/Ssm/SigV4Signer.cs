using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace Dataraven.Core.CredentialStore.Ssm;

/// <summary>
/// AWS Signature Version 4 for header-signed requests. This class builds the canonical request
/// (path, query, headers, payload hash as the SigV4 specification defines them); the string to
/// sign, the derived signing key and the final HMAC come from AWSSDK.Core's
/// <see cref="AWS4Signer.ComputeSignature(string, string, string, DateTime, string, string, string)"/>.
/// Checked against AWS's published SigV4 test suite (tests/Unit/CredentialStore/SigV4SignerTests).
/// </summary>
public static class SigV4Signer
{
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The result of signing: the <c>Authorization</c> header value and what went into it.</summary>
    public sealed record Signature(string Authorization, string SignedHeaders, string CanonicalRequest);

    /// <summary>
    /// Signs a request whose headers (including <c>host</c> and <c>x-amz-date</c>) are all given in
    /// <paramref name="headers"/>; every given header is signed.
    /// </summary>
    public static Signature Sign(
        string method,
        Uri uri,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        string accessKeyId,
        string secretAccessKey,
        string region,
        string service,
        DateTime signedAtUtc)
    {
        var canonicalHeaders = CanonicalHeaders(headers);
        var signedHeaders = string.Join(';', canonicalHeaders.Select(h => h.Key));
        var canonicalRequest = new StringBuilder()
            .Append(method.ToUpperInvariant()).Append('\n')
            .Append(CanonicalPath(uri)).Append('\n')
            .Append(CanonicalQuery(uri)).Append('\n')
            .Append(string.Concat(canonicalHeaders.Select(h => h.Key + ":" + h.Value + "\n"))).Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(HexSha256(body))
            .ToString();
        var result = AWS4Signer.ComputeSignature(accessKeyId, secretAccessKey, region,
            DateTime.SpecifyKind(signedAtUtc, DateTimeKind.Utc), service, signedHeaders, canonicalRequest);
        return new Signature(result.ForAuthorizationHeader, signedHeaders, canonicalRequest);
    }

    public static string FormatAmzDate(DateTime utc) => utc.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>The URI-encoded path (non-S3 rules: dot segments removed by <see cref="Uri"/>, each segment encoded once).</summary>
    public static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }
        var segments = path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s)));
        var canonical = string.Join('/', segments);
        return canonical.StartsWith('/') ? canonical : "/" + canonical;
    }

    /// <summary>Query parameters decoded, re-encoded (RFC 3986), sorted by name then value.</summary>
    public static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((Encode(Uri.UnescapeDataString(key)), Encode(Uri.UnescapeDataString(value))));
        }
        return string.Join('&', pairs
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>Lower-case names sorted; values trimmed, inner runs of spaces collapsed, repeats joined with commas.</summary>
    public static List<KeyValuePair<string, string>> CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers
            .GroupBy(h => h.Key.Trim().ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, string>(g.Key, string.Join(',', g.Select(h => CollapseSpaces(h.Value)))))
            .ToList();

    /// <summary>RFC 3986 percent-encoding of UTF-8 bytes; only unreserved characters stay as they are.</summary>
    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var sb = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value.Trim())
        {
            var space = c == ' ';
            if (!(space && previousSpace))
            {
                sb.Append(c);
            }
            previousSpace = space;
        }
        return sb.ToString();
    }
}
