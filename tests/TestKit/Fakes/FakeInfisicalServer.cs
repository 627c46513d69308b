using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dataraven.Tests.Fakes;

/// <summary>
/// Fake Infisical API (universal auth): <c>POST /api/v1/auth/universal-auth/login</c> <c>{clientId, clientSecret}</c>
/// → <c>{accessToken, expiresIn, accessTokenMaxTTL, tokenType}</c>; <c>GET /api/v3/secrets/raw?workspaceId=&amp;environment=&amp;secretPath=</c>
/// with <c>Authorization: Bearer &lt;accessToken&gt;</c>. Errors are <c>{reqId, statusCode, message, error}</c>:
/// 400 for a malformed login, 401 for an unknown client or access token, 403 for a project that exists but the
/// client may not read, 404 for an unknown project or environment.
/// </summary>
public sealed class FakeInfisicalServer : FakeProviderServer
{
    private sealed record ClientGrant(string ClientSecret, ConcurrentDictionary<(string ProjectId, string Environment), bool> Environments);

    private readonly ConcurrentDictionary<string, ClientGrant> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _accessTokens = new(StringComparer.Ordinal); // token -> clientId
    private readonly ConcurrentDictionary<(string ProjectId, string Environment, string Path), IReadOnlyDictionary<string, string>> _secrets = new();

    private FakeInfisicalServer() { }

    public static async Task<FakeInfisicalServer> StartAsync()
    {
        var server = new FakeInfisicalServer();
        await server.StartCoreAsync();
        return server;
    }

    /// <summary>How the 401 login message repeats the presented client id and secret (for sanitizer tests).</summary>
    public CredentialEcho EchoCredentials { get; set; }

    /// <summary>Access tokens issued so far (the client must redact them too).</summary>
    public IReadOnlyCollection<string> IssuedAccessTokens => _accessTokens.Keys.ToArray();

    /// <summary>A machine identity that may read these environments of <paramref name="projectId"/>.</summary>
    public FakeInfisicalServer AddClient(string clientId, string clientSecret, string projectId, params string[] environments)
    {
        var grant = _clients.GetOrAdd(clientId, _ => new ClientGrant(clientSecret, new()));
        foreach (var environment in environments) grant.Environments[(projectId, environment)] = true;
        return this;
    }

    /// <summary>The secrets returned for a project/environment/path (path default "/").</summary>
    public FakeInfisicalServer SetSecrets(string projectId, string environment, IReadOnlyDictionary<string, string> secrets, string path = "/")
    {
        _secrets[(projectId, environment, path)] = secrets;
        return this;
    }

    private readonly ConcurrentDictionary<(string ProjectId, string Environment, string Path), string[]> _folders = new();

    /// <summary>The folders <c>GET /api/v1/folders</c> lists below a project/environment/path.</summary>
    public FakeInfisicalServer SetFolders(string projectId, string environment, string path, params string[] folders)
    {
        _folders[(projectId, environment, path)] = folders;
        return this;
    }

    protected override void MapRoutes(WebApplication app)
    {
        // https://infisical.com/docs/api-reference/endpoints/folders/list: {"folders": [{id, name}]}.
        app.MapGet("/api/v1/folders", async context =>
        {
            var token = BearerToken(context);
            if (token is null || !_accessTokens.ContainsKey(token))
            {
                await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Token missing or invalid", "Unauthorized");
                return;
            }
            var key = (context.Request.Query["workspaceId"].ToString(), context.Request.Query["environment"].ToString(),
                context.Request.Query["path"].ToString() is { Length: > 0 } p ? p : "/");
            var folders = _folders.TryGetValue(key, out var f) ? f : [];
            await context.Response.WriteAsJsonAsync(new { folders = folders.Select((name, i) => new { id = $"folder-{i}", name }).ToArray() });
        });

        app.MapPost("/api/v1/auth/universal-auth/login", async context =>
        {
            string? clientId = null, clientSecret = null;
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body);
                if (doc.RootElement.TryGetProperty("clientId", out var id) && id.ValueKind == JsonValueKind.String) clientId = id.GetString();
                if (doc.RootElement.TryGetProperty("clientSecret", out var secret) && secret.ValueKind == JsonValueKind.String) clientSecret = secret.GetString();
            }
            catch (JsonException)
            {
            }
            if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "clientId and clientSecret are required");
                return;
            }
            if (!_clients.TryGetValue(clientId, out var grant) || grant.ClientSecret != clientSecret)
            {
                var message = EchoCredentials != CredentialEcho.None
                    ? $"Invalid credentials for client {EchoCredentials.Apply(clientId)} with secret {EchoCredentials.Apply(clientSecret)}"
                    : "Invalid credentials";
                await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, message, "Unauthorized");
                return;
            }

            // Shaped like Infisical's JWT access tokens.
            var accessToken = "eyJhbGciOiJIUzI1NiJ9.fake" + Guid.NewGuid().ToString("N") + ".sig" + Guid.NewGuid().ToString("N")[..12];
            _accessTokens[accessToken] = clientId;
            await context.Response.WriteAsJsonAsync(new { accessToken, expiresIn = 7200, accessTokenMaxTTL = 7200, tokenType = "Bearer" });
        });

        // GET /api/v3/secrets/raw/{secretName}: {"secret": {secretKey, secretValue, ...}}; 404 "Secret with name '...' not found".
        app.MapGet("/api/v3/secrets/raw/{name}", async (HttpContext context, string name) =>
        {
            if (await AuthorizeReadAsync(context) is not { } target) return;
            if (!_secrets.TryGetValue(target, out var secrets) || !secrets.TryGetValue(name, out var value))
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Secret with name '{name}' not found", "NotFound");
                return;
            }
            await context.Response.WriteAsJsonAsync(new
            {
                secret = new
                {
                    _id = "secret-1", id = "secret-1", workspace = target.ProjectId, environment = target.Environment, version = 1,
                    type = "shared", secretKey = name, secretValue = value, secretComment = "", secretPath = target.Path,
                },
            });
        });

        app.MapGet("/api/v3/secrets/raw", async context =>
        {
            var token = BearerToken(context);
            if (token is null || !_accessTokens.TryGetValue(token, out var clientId))
            {
                await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Token missing or invalid", "Unauthorized");
                return;
            }
            var projectId = context.Request.Query["workspaceId"].ToString();
            var environment = context.Request.Query["environment"].ToString();
            var path = context.Request.Query["secretPath"].ToString();
            if (string.IsNullOrEmpty(path)) path = "/";
            if (string.IsNullOrEmpty(projectId) || string.IsNullOrEmpty(environment))
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "workspaceId and environment are required");
                return;
            }

            var grant = _clients[clientId];
            if (!grant.Environments.Keys.Any(k => k.ProjectId == projectId))
            {
                var exists = _clients.Values.Any(c => c.Environments.Keys.Any(k => k.ProjectId == projectId));
                if (exists)
                    await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "You are not allowed to read on secrets", "PermissionDenied");
                else
                    await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Project with ID '{projectId}' not found", "NotFound");
                return;
            }
            if (!grant.Environments.ContainsKey((projectId, environment)))
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound,
                    $"Environment with slug '{environment}' in project with ID '{projectId}' not found", "NotFound");
                return;
            }

            var secrets = _secrets.TryGetValue((projectId, environment, path), out var s) ? s : new Dictionary<string, string>();
            await context.Response.WriteAsJsonAsync(new
            {
                secrets = secrets.Select((kv, i) => new
                {
                    _id = $"secret-{i}",
                    id = $"secret-{i}",
                    workspace = projectId,
                    environment,
                    version = 1,
                    type = "shared",
                    secretKey = kv.Key,
                    secretValue = kv.Value,
                    secretComment = "",
                    secretPath = path,
                }).ToArray(),
                imports = Array.Empty<object>(),
            });
        });
    }

    /// <summary>The access-token and project/environment rules of a read; writes the error and returns null when refused.</summary>
    private async Task<(string ProjectId, string Environment, string Path)?> AuthorizeReadAsync(HttpContext context)
    {
        var token = BearerToken(context);
        if (token is null || !_accessTokens.TryGetValue(token, out var clientId))
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Token missing or invalid", "Unauthorized");
            return null;
        }
        var projectId = context.Request.Query["workspaceId"].ToString();
        var environment = context.Request.Query["environment"].ToString();
        var path = context.Request.Query["secretPath"].ToString();
        if (string.IsNullOrEmpty(path)) path = "/";
        if (!_clients[clientId].Environments.ContainsKey((projectId, environment)))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound,
                $"Environment with slug '{environment}' in project with ID '{projectId}' not found", "NotFound");
            return null;
        }
        return (projectId, environment, path);
    }

    protected override Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteErrorAsync(context, statusCode, message, statusCode switch
        {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "PermissionDenied",
            404 => "NotFound",
            429 => "TooManyRequests",
            _ => "InternalServerError",
        });

    private static Task WriteErrorAsync(HttpContext context, int statusCode, string message, string error)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(new { reqId = "req-" + Guid.NewGuid().ToString("N")[..16], statusCode, message, error });
    }
}
