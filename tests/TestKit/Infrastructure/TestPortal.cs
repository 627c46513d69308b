using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Invitations;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

/// <summary>The real portal (Program.cs, through WebApplicationFactory) on a temp SQLite file and a temp credential store.</summary>
public sealed class TestPortal : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    /// <summary>PBKDF2 rounds for the test portals' password hashes (Identity's default is 100,000).</summary>
    public const int TestPasswordRounds = 1_000;

    private readonly PortalFactory _factory;

    private TestPortal(PortalFactory factory, string dataDir, Uri? baseAddress)
    {
        _factory = factory;
        App = new PortalHostView(factory.Services);
        DataDir = dataDir;
        BaseAddress = baseAddress;
    }

    /// <summary>The started portal's host: its services, its test server (<c>App.GetTestServer()</c>), its endpoints.</summary>
    public PortalHostView App { get; }
    public string DataDir { get; }
    public Uri? BaseAddress { get; }
    public IServiceProvider Services => App.Services;
    public string DatabaseFile => Path.Combine(DataDir, "portal.db");

    public static Task<TestPortal> StartAsync(TestPortalOptions? options = null)
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
            ["Logging:LogLevel:Default"] = "Information",
            // The suites fire many requests with one key; RateLimitTests prove the limit with a low value of their own.
            ["RateLimits:ApiPerMinute"] = "100000",
            ["RateLimits:CredentialRequestPerMinute"] = "100000",
            // Scheduled checks would change health and write audit events under the tests' feet; CheckSchedulerTests drive passes.
            ["Checks:SchedulerEnabled"] = "false",
            ["Retention:PurgeEnabled"] = "false",
        };
        foreach (var (k, v) in options.Settings)
        {
            settings[k] = v;
        }
        if (!options.Settings.ContainsKey("ConnectionStrings:Portal") && !options.Settings.ContainsKey("Database:Provider"))
        {
            // A copy of a database migrated once per test process: the portal's start finds nothing pending.
            File.Copy(SqliteTemplate.Value, Path.Combine(dataDir, "portal.db"));
        }
        var factory = new PortalFactory(settings, options);
        if (options.Kestrel)
        {
            factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        }
        factory.StartServer();
        Uri? address = null;
        if (options.Kestrel)
        {
            address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
        return Task.FromResult(new TestPortal(factory, dataDir, address));
    }

    /// <summary>
    /// An empty SQLite database with every migration applied, made once per test process: applying the migrations
    /// builds each one's target model, which cost every portal start of the suites a second of CPU.
    /// </summary>
    private static readonly Lazy<string> SqliteTemplate = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"dr-template-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options;
        using (var db = new PortalDbContext(options))
        {
            db.Database.Migrate();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Program.cs as it runs, with the test's settings and services. The settings go in as host settings: the factory
    /// hands those to Program as command-line arguments, so they are there while it registers its services (which
    /// read some of them); application configuration added here would only arrive when the app is built.
    /// </summary>
    private sealed class PortalFactory(IReadOnlyDictionary<string, string?> settings, TestPortalOptions options) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // The repo root as content root, as under `dotnet run`: its appsettings.json below the test settings.
            builder.UseContentRoot(RepoRoot);
            // The factory's default is Development; the portal runs in Production.
            builder.UseEnvironment(Environments.Production);
            foreach (var (key, value) in settings)
            {
                if (value is not null)
                {
                    builder.UseSetting(key, value);
                }
            }
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                if (options.Logger is not null)
                {
                    logging.AddProvider(options.Logger);
                    logging.SetMinimumLevel(LogLevel.Trace);
                }
            });
            // Identity's default of 100,000 PBKDF2 rounds costs ~50 ms of CPU per password hashed or checked, and the
            // suites create and sign in thousands of users on 2 cores. The hash format carries its round count, so the
            // sign-in paths run unchanged; only the cost per password is lower.
            builder.ConfigureTestServices(s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = TestPasswordRounds));
            if (options.Services is { } services)
            {
                builder.ConfigureTestServices(services);
            }
        }
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
        var client = BaseAddress is null ? _factory.Server.CreateClient() : new HttpClient { BaseAddress = BaseAddress };
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
        await _factory.DisposeAsync();
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

/// <summary>
/// The factory keeps the portal's host to itself: this view of it gives the tests its services, its test server (the
/// <c>GetTestServer()</c> extension of <see cref="IHost"/>) and its endpoints (as <see cref="IEndpointRouteBuilder"/>).
/// Starting and stopping stay with the factory.
/// </summary>
public sealed class PortalHostView(IServiceProvider services) : IHost, IEndpointRouteBuilder
{
    public IServiceProvider Services { get; } = services;

    IServiceProvider IEndpointRouteBuilder.ServiceProvider => Services;

    public ICollection<EndpointDataSource> DataSources => [Services.GetRequiredService<EndpointDataSource>()];

    public IApplicationBuilder CreateApplicationBuilder() => throw new NotSupportedException("The portal's pipeline is built by Program.cs.");

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
