using System.Net.Http.Headers;
using System.Security.Cryptography;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Invitations;
using Dataraven.Core.Teams;
using Dataraven.Portal.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Infrastructure;

public sealed class TestPortalOptions
{
    /// <summary>Configuration on top of the test defaults (a temp SQLite file and a temp local store).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Runs after the portal registered its services: replace a service here.</summary>
    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>A real Kestrel server on 127.0.0.1 (browser tests) instead of the in-memory TestServer.</summary>
    public bool Kestrel { get; set; }

    public ILoggerProvider? Logger { get; set; }
}

public sealed record TeamFixture(Guid TeamId, Guid OwnerId, string OwnerEmail, string OwnerKey);

/// <summary>The real portal (PortalApp.Build) on a temp SQLite file and a temp credential store.</summary>
public sealed class TestPortal : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private TestPortal(WebApplication app, string dataDir, Uri? baseAddress)
    {
        App = app;
        DataDir = dataDir;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public Uri? BaseAddress { get; }
    public IServiceProvider Services => App.Services;
    public string DatabaseFile => Path.Combine(DataDir, "portal.db");

    public static async Task<TestPortal> StartAsync(TestPortalOptions? options = null)
    {
        options ??= new TestPortalOptions();
        var dataDir = Path.Combine(Path.GetTempPath(), "dr-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(dataDir, "portal.db")}",
            ["CredentialStore:Provider"] = "Local",
            ["CredentialStore:Local:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["CredentialStore:Local:Path"] = Path.Combine(dataDir, "credentials"),
            ["DataProtection:KeysPath"] = Path.Combine(dataDir, "keys"),
            ["Urls"] = options.Kestrel ? "http://127.0.0.1:0" : null,
            ["Logging:LogLevel:Default"] = "Information",
            // The suites fire many requests with one key; RateLimitTests prove the limit with a low value of their own.
            ["RateLimits:ApiPerMinute"] = "100000",
            // Scheduled checks would change health and write audit events under the tests' feet; CheckSchedulerTests drive passes.
            ["Checks:SchedulerEnabled"] = "false",
        };
        foreach (var (k, v) in options.Settings)
        {
            settings[k] = v;
        }
        // The repo root as content root, as under `dotnet run`: its appsettings.json below the test settings.
        var app = PortalApp.Build(["--contentRoot", RepoRoot], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            if (options.Logger is not null)
            {
                builder.Logging.AddProvider(options.Logger);
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
            }
            if (!options.Kestrel)
            {
                builder.WebHost.UseTestServer();
            }
        }, options.Services);
        await app.StartAsync();
        Uri? address = null;
        if (options.Kestrel)
        {
            address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
        return new TestPortal(app, dataDir, address);
    }

    /// <summary>The folder of Dataraven.Portal.sln and the root appsettings.json, above the test binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dataraven.Portal.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Dataraven.Portal.sln not found above the test binaries.");
    }

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = BaseAddress is null ? App.GetTestClient() : new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    public async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>A team with an Owner (user and Owner API key), as the bootstrap command makes it.</summary>
    public async Task<TeamFixture> CreateTeamAsync(string name = "Acme", string tier = "free", string? ownerEmail = null)
    {
        ownerEmail ??= $"owner-{Guid.NewGuid():N}@example.com";
        await using var scope = Services.CreateAsyncScope();
        var teams = scope.ServiceProvider.GetRequiredService<TeamService>();
        var user = (await teams.FindOrCreateUserAsync(ownerEmail, Password)).Value!;
        var team = (await teams.CreateTeamAsync(user.Id, name, tier)).Value!;
        var key = (await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .CreateAsync(new TeamActor(team.Id, user.Id, TeamRole.Owner), "owner", "owner")).Value!;
        return new TeamFixture(team.Id, user.Id, ownerEmail, key.Plaintext);
    }

    /// <summary>A new member of the team with <paramref name="role"/>, and an API key of that role.</summary>
    public async Task<(Guid UserId, string Email, string Key)> AddMemberAsync(TeamFixture team, TeamRole role, string? email = null)
    {
        email ??= $"{role.ToWire()}-{Guid.NewGuid():N}@example.com";
        await using var scope = Services.CreateAsyncScope();
        var teams = scope.ServiceProvider.GetRequiredService<TeamService>();
        var user = (await teams.FindOrCreateUserAsync(email, Password)).Value!;
        // Members join the way people do: an Owner's invitation, accepted by the invited account.
        var invitations = scope.ServiceProvider.GetRequiredService<InvitationService>();
        var invited = await invitations.CreateAsync(new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner), email, role.ToWire());
        var added = invited.IsSuccess ? await invitations.AcceptAsync(invited.Value!.Token, user.Id) : invited.Problem!;
        if (!added.IsSuccess)
        {
            throw new InvalidOperationException(added.Problem!.Message);
        }
        // A Viewer cannot create keys through the API; the fixture issues one as if an Owner had set it up.
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .IssueAsync(new TeamActor(team.TeamId, user.Id, role), $"{role} key", role);
        return (user.Id, email, key.Plaintext);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on shutdown is left in the temp folder.
        }
    }
}
