using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dataraven.Tests.Fakes;

/// <summary>
/// Google's OAuth 2.0 token endpoint for service accounts (https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
/// <c>POST /token</c> form <c>grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&amp;assertion=JWT</c>. The RS256 assertion's
/// signature is verified with the public key registered for its <c>iss</c> (client_email), and its <c>aud</c> must be
/// <c>https://oauth2.googleapis.com/token</c>: 200 <c>{access_token, expires_in, token_type}</c>, else 400 <c>{error: "invalid_grant", error_description}</c>.
/// </summary>
public sealed class FakeGoogleTokenServer : FakeProviderServer
{
    private readonly ConcurrentDictionary<string, RSAParameters> _keys = new(StringComparer.Ordinal);

    private FakeGoogleTokenServer() { }

    public static async Task<FakeGoogleTokenServer> StartAsync()
    {
        var server = new FakeGoogleTokenServer();
        await server.StartCoreAsync();
        return server;
    }

    public string TokenUri => BaseUrl + "/token";

    /// <summary>A new service account whose key Google knows: the key file's JSON (token_uri = this server).</summary>
    public string CreateServiceAccountJson(string clientEmail = "checker@project.iam.gserviceaccount.com")
    {
        using var rsa = RSA.Create(2048);
        _keys[clientEmail] = rsa.ExportParameters(false);
        return KeyJson(clientEmail, rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A well-formed key file whose key Google does not know (deleted, or never issued).</summary>
    public string CreateUnknownKeyJson(string clientEmail = "checker@project.iam.gserviceaccount.com")
    {
        using var rsa = RSA.Create(2048);
        return KeyJson(clientEmail, rsa.ExportPkcs8PrivateKeyPem());
    }

    private string KeyJson(string clientEmail, string privateKeyPem) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["project_id"] = "project",
        ["private_key_id"] = Guid.NewGuid().ToString("N"),
        ["private_key"] = privateKeyPem,
        ["client_email"] = clientEmail,
        ["client_id"] = "123456789012345678901",
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = TokenUri,
    });

    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost("/token", async context =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
            {
                await WriteErrorAsync(context, 400, "unsupported_grant_type", "Invalid grant_type.");
                return;
            }
            if (Verify(form["assertion"].ToString()) is { } problem)
            {
                await WriteErrorAsync(context, 400, "invalid_grant", problem);
                return;
            }
            await context.Response.WriteAsJsonAsync(new { access_token = "ya29.fake" + Guid.NewGuid().ToString("N"), expires_in = 3599, token_type = "Bearer" });
        });
    }

    /// <summary>Null when the assertion is signed by the registered key of its issuer and addressed to this endpoint.</summary>
    private string? Verify(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3) return "Invalid JWT.";
        using var header = JsonDocument.Parse(Base64Url(parts[0]));
        using var claims = JsonDocument.Parse(Base64Url(parts[1]));
        if (header.RootElement.GetProperty("alg").GetString() != "RS256") return "Invalid JWT: alg.";
        var issuer = claims.RootElement.GetProperty("iss").GetString() ?? "";
        if (!_keys.TryGetValue(issuer, out var publicKey)) return "Invalid grant: account not found";
        // Google's documented audience of an access token request, whatever address the request was sent to.
        if (claims.RootElement.GetProperty("aud").GetString() != "https://oauth2.googleapis.com/token") return "Invalid JWT: audience.";
        using var rsa = RSA.Create(publicKey);
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return rsa.VerifyData(signed, Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) ? null : "Invalid JWT Signature.";
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    protected override Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteErrorAsync(context, statusCode, statusCode == 429 ? "rate_limit_exceeded" : "internal_failure", message);

    private static Task WriteErrorAsync(HttpContext context, int statusCode, string error, string description)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(new { error, error_description = description });
    }
}
