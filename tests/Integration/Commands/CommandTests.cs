using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dataraven.Core.CredentialStore;
using Dataraven.Portal.Commands;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Commands;

public sealed class CommandTestsSqlite : CommandTests;

public sealed class CommandTestsPostgres : CommandTests
{
    protected override Task ConfigureAsync(TestPortalOptions options) => PostgresRun.ConfigureAsync(options);
}

/// <summary>The CLI commands run against the same configuration a running portal uses, on each database.</summary>
public abstract class CommandTests : IAsyncLifetime
{
    private TestPortal _portal = null!;
    private Dictionary<string, string?> _settings = null!;

    protected virtual Task ConfigureAsync(TestPortalOptions options) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var options = new TestPortalOptions();
        await ConfigureAsync(options);
        _portal = await TestPortal.StartAsync(options);
        var config = _portal.Services.GetRequiredService<IConfiguration>();
        _settings = new[] { "Database:Provider", "ConnectionStrings:Portal", "CredentialStore:Provider", "CredentialStore:Local:Key", "CredentialStore:Local:Path", "DataProtection:KeysPath" }
            .ToDictionary(k => k, k => config[k]);
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await PortalCommands.RunAsync(args, stdout, stderr, builder =>
        {
            builder.Configuration.AddInMemoryCollection(_settings);
            builder.Logging.ClearProviders();
        });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Bootstrap_PrintsOneJsonLine_WithAWorkingOwnerKey()
    {
        var (code, output, error) = await RunAsync("bootstrap", "--team", "Acme", "--email", "owner@example.com", "--password", "correct horse battery", "--tier", "pro");
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = Assert.Single(lines);
        var body = JsonNode.Parse(json)!;
        Assert.True(Guid.TryParse((string?)body["team_id"], out var teamId));
        Assert.True(Guid.TryParse((string?)body["user_id"], out _));
        var key = (string)body["api_key"]!;
        Assert.StartsWith("dr_", key);
        Assert.DoesNotContain("correct horse", output + error);

        var usage = await (await _portal.CreateClient(key).GetAsync($"/v1/teams/{teamId}/usage")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("pro", (string?)usage["tier"]);
        var created = await _portal.CreateClient(key).PostRawAsync($"/v1/teams/{teamId}/api-keys", """{"name":"ci","role":"owner"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Bootstrap_TwiceWithTheSameEmail_ReusesTheUser()
    {
        var first = JsonNode.Parse((await RunAsync("bootstrap", "--team", "One", "--email", "same@example.com", "--password", "correct horse battery")).Out)!;
        var second = JsonNode.Parse((await RunAsync("bootstrap", "--team", "Two", "--email", "same@example.com", "--password", "correct horse battery")).Out)!;
        Assert.Equal((string?)first["user_id"], (string?)second["user_id"]);
        Assert.NotEqual((string?)first["team_id"], (string?)second["team_id"]);
    }

    [Theory]
    [InlineData("bootstrap", "--team", "Acme")]
    [InlineData("bootstrap", "--team", "Acme", "--email", "x@example.com", "--password", "correct horse battery", "--tier", "gold")]
    [InlineData("bootstrap", "--team", "Acme", "--email", "not-an-email", "--password", "correct horse battery")]
    [InlineData("bootstrap", "stray")]
    public async Task Bootstrap_BadArguments_ExitsNonZeroWithAMessageAndPrintsNoKey(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task ReconcileCredentials_FindsAndFixesPlantedOrphans()
    {
        var team = await _portal.CreateTeamAsync("Acme", "pro");
        var store = _portal.Services.GetRequiredService<ICredentialStore>();
        var orphan = CredentialKey.ForSecret(team.TeamId, Guid.NewGuid());
        await store.PutAsync(orphan, new Dictionary<string, string> { ["access_key_id"] = "ORPHAN-VALUE" });

        var (code, output, _) = await RunAsync("reconcile-credentials");
        Assert.Equal(1, code);
        Assert.Contains(orphan.RelativePath, output);
        Assert.DoesNotContain("ORPHAN-VALUE", output);
        Assert.NotNull(await store.GetAsync(orphan));

        var (fixCode, _, _) = await RunAsync("reconcile-credentials", "--fix");
        Assert.Equal(0, fixCode);
        Assert.Null(await store.GetAsync(orphan));
        Assert.Equal(0, (await RunAsync("reconcile-credentials")).Code);
    }

    [Fact]
    public async Task ReconcileCredentials_UnknownOption_Exits2()
    {
        Assert.Equal(2, (await RunAsync("reconcile-credentials", "--fx")).Code);
    }
}
