using System.Net;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Api;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.CredentialStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dataraven.Tests.Hosting;

/// <summary>/healthz and /readyz (DESIGN.md, "Running in production"), and the shutdown timeout.</summary>
public sealed class HealthTests
{
    private const string Ready = """{"status":"healthy","checks":{"database":"healthy","credential_store":"healthy"}}""";

    [Fact]
    public async Task Healthz_OnAFreshDatabase_Answers200_Anonymously_WithoutTheFirstRunRedirect()
    {
        await using var portal = await TestPortal.StartAsync();
        using var response = await portal.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"healthy"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Readyz_OnSqliteAndTheLocalStore_Answers200_WithEachCheck()
    {
        await using var portal = await TestPortal.StartAsync();
        using var response = await portal.CreateClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Ready, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_OnPostgresAndSsm_Answers200()
    {
        using var moto = new MotoServerFixture();
        await moto.InitializeAsync();
        await SsmRun.WarmUpAsync(moto);
        var options = new TestPortalOptions();
        await PostgresRun.ConfigureAsync(options);
        SsmRun.Configure(options, moto);
        await using var portal = await TestPortal.StartAsync(options);

        using var response = await portal.CreateClient().GetAsync("/readyz");
        Assert.Equal(Ready, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_WithAMigrationNotApplied_Answers503_NamingTheDatabase()
    {
        await using var portal = await TestPortal.StartAsync();
        await portal.WithAsync<PortalDbContext, int>(db => db.Database.ExecuteSqlRawAsync(
            """DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = (SELECT MAX("MigrationId") FROM "__EFMigrationsHistory")"""));

        using var response = await portal.CreateClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"unhealthy","checks":{"database":"1 migrations not applied","credential_store":"healthy"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_WhenTheLocalStoreFolderCannotTakeFiles_Answers503_WithoutPathsOrKeys()
    {
        await using var portal = await TestPortal.StartAsync();
        var folder = Path.Combine(portal.DataDir, "credentials");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        // A file where the folder should be: the store can neither create it nor write into it (root ignores modes).
        await File.WriteAllTextAsync(folder, "");

        using var response = await portal.CreateClient().GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"unhealthy","checks":{"database":"healthy","credential_store":"unreachable"}}""", body);
        Assert.DoesNotContain(portal.DataDir, body);

        File.Delete(folder);
        using var again = await portal.CreateClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_AreNotLoggedAtInformation_NorRateLimited()
    {
        var logs = new CapturingLoggerProvider();
        var options = new TestPortalOptions { Logger = logs };
        options.Settings["Logging:LogLevel:Default"] = "Trace";
        options.Settings["RateLimits:ApiPerMinute"] = "1";
        options.Settings["Accounts:AttemptsPerMinute"] = "1";
        await using var portal = await TestPortal.StartAsync(options);
        using var client = portal.CreateClient();
        logs.Clear();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        }
        var loud = logs.Lines.Where(l => !l.StartsWith("Trace") && !l.StartsWith("Debug")).ToList();
        Assert.True(loud.Count == 0, string.Join('\n', loud));
        // The capture itself works: the checks ran and were logged, below Information.
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug Microsoft.Extensions.Diagnostics.HealthChecks"));
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("7", 7)]
    public async Task ShutdownTimeoutSeconds_IsTheHostsShutdownTimeout(string? configured, int seconds)
    {
        var options = new TestPortalOptions();
        if (configured is not null)
        {
            options.Settings["ShutdownTimeoutSeconds"] = configured;
        }
        await using var portal = await TestPortal.StartAsync(options);
        Assert.Equal(TimeSpan.FromSeconds(seconds), portal.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }
}
