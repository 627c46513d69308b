using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dataraven.Tests.Fakes;

/// <summary>
/// Fake Doppler API (https://docs.doppler.com/reference): <c>GET /v3/configs/config?project=&amp;config=</c> and
/// <c>GET /v3/configs/config/secrets?project=&amp;config=</c> with <c>Authorization: Bearer &lt;token&gt;</c>.
/// Errors are <c>{"messages": [...], "success": false}</c>: 401 for an unknown token, 403 for a forbidden token,
/// 404 for a project/config the token does not know.
/// </summary>
public sealed class FakeDopplerServer : FakeProviderServer
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Project, string Config), bool>> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _forbiddenTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Project, string Config), IReadOnlyDictionary<string, string>> _secrets = new();

    private FakeDopplerServer() { }

    public static async Task<FakeDopplerServer> StartAsync()
    {
        var server = new FakeDopplerServer();
        await server.StartCoreAsync();
        return server;
    }

    /// <summary>How the 401 message repeats the presented token (a badly behaved provider; for sanitizer tests).</summary>
    public CredentialEcho EchoToken { get; set; }

    /// <summary>Accept <paramref name="token"/> for these configs of <paramref name="project"/>.</summary>
    public FakeDopplerServer AcceptToken(string token, string project, params string[] configs)
    {
        var set = _tokens.GetOrAdd(token, _ => new());
        foreach (var config in configs) set[(project, config)] = true;
        return this;
    }

    /// <summary>A known token that is answered 403 on every call.</summary>
    public FakeDopplerServer ForbidToken(string token)
    {
        _forbiddenTokens[token] = true;
        return this;
    }

    /// <summary>The secrets <c>/v3/configs/config/secrets</c> returns for a project/config.</summary>
    public FakeDopplerServer SetSecrets(string project, string config, IReadOnlyDictionary<string, string> secrets)
    {
        _secrets[(project, config)] = secrets;
        return this;
    }

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/v3/configs/config", async context =>
        {
            if (await AuthorizeAsync(context) is not { } target) return;
            var (project, config) = target;
            await context.Response.WriteAsJsonAsync(new
            {
                config = new
                {
                    name = config,
                    root = true,
                    locked = false,
                    environment = config.Split('_')[0],
                    project,
                    created_at = "2025-01-01T00:00:00.000Z",
                    initial_fetch_at = "2025-01-01T00:00:00.000Z",
                    last_fetch_at = "2025-01-01T00:00:00.000Z",
                },
                success = true,
            });
        });

        // https://docs.doppler.com/reference/secrets-get: {"name", "value": {"raw", "computed", ...}, "success"}; 404 for an unknown name.
        app.MapGet("/v3/configs/config/secret", async context =>
        {
            if (await AuthorizeAsync(context) is not { } target) return;
            var name = context.Request.Query["name"].ToString();
            if (!_secrets.TryGetValue(target, out var secrets) || !secrets.TryGetValue(name, out var value))
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, "Could not find requested secret");
                return;
            }
            await context.Response.WriteAsJsonAsync(new
            {
                name,
                value = new { raw = value, computed = value, note = "", rawVisibility = "masked", computedVisibility = "masked" },
                success = true,
            });
        });

        // https://docs.doppler.com/reference/secrets-names: {"names": [...], "success": true}; no values.
        app.MapGet("/v3/configs/config/secrets/names", async context =>
        {
            if (await AuthorizeAsync(context) is not { } target) return;
            var secrets = _secrets.TryGetValue(target, out var s) ? s : new Dictionary<string, string>();
            await context.Response.WriteAsJsonAsync(new { names = secrets.Keys.ToArray(), success = true });
        });

        app.MapGet("/v3/configs/config/secrets", async context =>
        {
            if (await AuthorizeAsync(context) is not { } target) return;
            var (project, config) = target;
            var secrets = _secrets.TryGetValue((project, config), out var s) ? s : new Dictionary<string, string>();
            await context.Response.WriteAsJsonAsync(new
            {
                secrets = secrets.ToDictionary(kv => kv.Key, kv => new { raw = kv.Value, computed = kv.Value, note = "" }),
                success = true,
            });
        });
    }

    /// <summary>Writes the error and returns null, or returns the (project, config) the token may read.</summary>
    private async Task<(string, string)?> AuthorizeAsync(HttpContext context)
    {
        var token = BearerToken(context);
        if (token is null || !_tokens.TryGetValue(token, out var configs) && !_forbiddenTokens.ContainsKey(token))
        {
            var message = EchoToken != CredentialEcho.None && token is not null ? $"Invalid Auth token: {EchoToken.Apply(token)}" : "Invalid Auth token";
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, message);
            return null;
        }
        if (_forbiddenTokens.ContainsKey(token))
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "This token does not have access to requested project");
            return null;
        }

        var project = context.Request.Query["project"].ToString();
        var config = context.Request.Query["config"].ToString();
        if (string.IsNullOrEmpty(project) || string.IsNullOrEmpty(config))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Project and config are required");
            return null;
        }
        if (!configs!.Keys.Any(k => k.Project == project))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "Could not find requested project");
            return null;
        }
        if (!configs.ContainsKey((project, config)))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "Could not find requested config");
            return null;
        }
        return (project, config);
    }

    protected override Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(new { messages = new[] { message }, success = false });
    }
}
