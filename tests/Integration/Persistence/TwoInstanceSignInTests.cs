using System.Net;
using System.Security.Cryptography;
using Dataraven.Tests.Infrastructure;
using Npgsql;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// Portals A and B on one PostgreSQL database, and a third on a copy of it (the same user) with keys of its own.
/// Each process is given a key folder of its own, so file keys would not be shared.
/// </summary>
public sealed class SignInPortals : IAsyncLifetime
{
    private readonly List<PortalProcess> _instances = [];
    private string _dataDir = "";

    public string Email { get; } = $"owner-{Guid.NewGuid():N}@example.com";
    public string Database { get; private set; } = "";
    public PortalProcess A => _instances[0];
    public PortalProcess B => _instances[1];
    public PortalProcess OtherDatabase => _instances[2];

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _dataDir = Directory.CreateTempSubdirectory("dr-signin-").FullName;
        Database = await server.CreateDatabaseAsync("signin");
        var (code, _, stderr) = await PortalProcess.RunAsync(Environment(Database, "bootstrap"),
            "bootstrap", "--team", "Sign-in", "--email", Email, "--password", TestPortal.Password);
        Assert.True(code == 0, $"bootstrap exited {code}: {stderr}");

        // The same user (same id and password hash) on another database whose keys are its own: only the keys differ.
        var other = await server.CopyDatabaseAsync(Database, "signin_other");
        await ExecuteAsync(other, "DELETE FROM data_protection_keys");

        _instances.AddRange(await Task.WhenAll(
            PortalProcess.StartAsync(Environment(Database, "a")),
            PortalProcess.StartAsync(Environment(Database, "b")),
            PortalProcess.StartAsync(Environment(other, "other"))));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
        Directory.Delete(_dataDir, recursive: true);
    }

    private Dictionary<string, string> Environment(string database, string instance) => new()
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Portal"] = database,
        ["CredentialStore__Provider"] = "Local",
        ["CredentialStore__Local__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["CredentialStore__Local__Path"] = Path.Combine(_dataDir, instance, "credentials"),
        ["DataProtection__KeysPath"] = Path.Combine(_dataDir, instance, "keys"),
        // Every sign-in comes from 127.0.0.1: the cookie, not the per-address throttle, is under test.
        ["Accounts__AttemptsPerMinute"] = "1000",
    };

    public static async Task<long> ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Sign-in across instances: with <c>Database:Provider=Postgres</c> the cookie keys live in the shared database,
/// so a browser signed in on one portal process stays signed in when the load balancer sends it to another.
/// </summary>
public sealed class TwoInstanceSignInTests(SignInPortals portals) : IClassFixture<SignInPortals>
{
    private const string Page = "/api-keys";

    /// <summary>Signs in through the login form of <paramref name="instance"/>; returns the browser's cookies.</summary>
    private async Task<CookieContainer> SignInAsync(PortalProcess instance)
    {
        var form = await PageForm.LoadAsync(instance.Address, "/account/login");
        using var response = await form.SubmitAsync("login", new Dictionary<string, string>
        {
            ["Input.Email"] = portals.Email,
            ["Input.Password"] = TestPortal.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(form.Cookies.GetCookies(instance.Address), c => c.Name == SignedInClient.AuthCookie);
        return form.Cookies;
    }

    /// <summary>GET <see cref="Page"/> on <paramref name="instance"/> with the cookies a browser holds for 127.0.0.1.</summary>
    private static async Task<HttpResponseMessage> OpenPageAsync(PortalProcess instance, CookieContainer cookies)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = instance.Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, Page);
        request.Headers.Add("Cookie", cookies.GetCookieHeader(instance.Address));
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task AssertSignedInPageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-testid=\"signed-in-user\">{portals.Email}<", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieFromOneInstance_IsAcceptedByAnotherOnTheSameDatabase()
    {
        var cookies = await SignInAsync(portals.A);

        using var onB = await OpenPageAsync(portals.B, cookies);
        await AssertSignedInPageAsync(onB);
        using var onA = await OpenPageAsync(portals.A, cookies);
        await AssertSignedInPageAsync(onA);
        Assert.True(await SignInPortals.ExecuteAsync(portals.Database, "SELECT count(*) FROM data_protection_keys") >= 1, "No key was stored in the database.");
    }

    [Fact]
    public async Task CookieFromAPortalOnAnotherDatabase_IsRefused()
    {
        var cookies = await SignInAsync(portals.OtherDatabase);
        using var onItsOwnPortal = await OpenPageAsync(portals.OtherDatabase, cookies);
        await AssertSignedInPageAsync(onItsOwnPortal);

        using var onB = await OpenPageAsync(portals.B, cookies);

        Assert.Equal(HttpStatusCode.Redirect, onB.StatusCode);
        Assert.Equal("/account/login", new Uri(portals.B.Address, onB.Headers.Location!).AbsolutePath);
    }
}
