using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.Checks;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.Teams;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Dataraven.Tests.Api;

/// <summary>A portal whose provider fakes hold planted canary values (1Password fields, Doppler and Infisical secrets) and whose logs are kept.</summary>
public sealed class VaultBrowsePortal : ApiPortalFixture
{
    public const string Canary = "CANARYb7e1";
    public const string DevOpsId = "devopsvaultid0000000000001";
    public CapturingLoggerProvider Logs { get; } = new();

    public static readonly FakeOpVault DevOps = new("DevOps", DevOpsId,
    [
        new FakeOpItem("AWS-Prod", "awsproditemid0000000000001",
        [
            new FakeOpField("access_key_id", $"AKIA{Canary}0001"),
            new FakeOpField("secret_access_key", $"{Canary}-secret-access-key"),
            new FakeOpField("region", "eu-west-1", Section: "Settings"),
        ]),
        new FakeOpItem("Backblaze", "backblazeitemid00000000001", [new FakeOpField("application_key", $"{Canary}-b2-key")]),
    ]);

    public static readonly FakeOpVault Shared = new("Shared", "sharedvaultid0000000000001",
        [new FakeOpItem("Wifi", "wifiitemid0000000000000001", [new FakeOpField("password", $"{Canary}-wifi")])]);

    protected override Task ConfigureAsync(TestPortalOptions options)
    {
        options.Logger = Logs;
        Fakes.Op.AddVault(DevOps).AddVault(Shared);
        return Task.CompletedTask;
    }
}

/// <summary>
/// 1Password vault scoping and browsing (issue 20): scoped and unscoped creates, the 422 for a vault the token cannot reach,
/// the shared validator's scope rule, browse for the three providers (never a value), its read cost, its cache and its roles.
/// </summary>
public sealed class VaultBrowseApiTests(VaultBrowsePortal fixture, ITestOutputHelper output) : ApiTestBase(fixture), IClassFixture<VaultBrowsePortal>
{
    private const string Canary = VaultBrowsePortal.Canary;

    private async Task<JsonNode> CreateOnePasswordAsync(string? vault, string? name = null)
    {
        var body = ProviderFakes.ValidBody("onepassword", name ?? $"1p-{Guid.NewGuid():N}");
        if (vault is not null) body["vault"] = vault;
        return await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
    }

    private async Task<JsonNode> BrowseAsync(JsonNode connection, string path, HttpStatusCode status = HttpStatusCode.OK, HttpClient? client = null)
    {
        var response = await (client ?? Owner()).GetAsync(Url(Acme, $"/vault-connections/{connection["id"]}/browse?path={Uri.EscapeDataString(path)}"));
        var body = await response.AssertStatusAsync(status);
        AssertNoCanary(body.ToJsonString());
        output.WriteLine($"GET .../browse?path={path} -> {(int)status} {body.ToJsonString()}");
        return body;
    }

    private static void AssertNoCanary(string text) => Assert.DoesNotContain(Canary, text, StringComparison.OrdinalIgnoreCase);

    private static List<(string Name, string Kind, string Path, string? Reference)> Entries(JsonNode body) =>
        body["entries"]!.AsArray().Select(e => ((string)e!["name"]!, (string)e["kind"]!, (string)e["path"]!, (string?)e["reference"])).ToList();

    [Fact]
    public async Task Create_Scoped_VerifiesWithVaultGetAndShowsTheVault()
    {
        var created = await CreateOnePasswordAsync("DevOps");
        Assert.Equal("DevOps", (string?)created["vault"]);
        Assert.Equal(["vault", "get", "DevOps", "--format", "json"], Fakes.Op.ReadArgv());

        var got = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("DevOps", (string?)got["vault"]);
        var list = await (await Owner().GetAsync(Url(Acme, "/vault-connections"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(list.AsArray(), c => (string?)c!["id"] == (string?)created["id"] && (string?)c["vault"] == "DevOps");
    }

    [Fact]
    public async Task Create_Unscoped_HasNullVaultAndListsVaults()
    {
        var created = await CreateOnePasswordAsync(null);
        Assert.True(created.AsObject().ContainsKey("vault"));
        Assert.Null((string?)created["vault"]);
        Assert.Equal(["vault", "list", "--format", "json"], Fakes.Op.ReadArgv());
    }

    [Fact]
    public async Task Create_VaultTheTokenCannotReach_Is422AndStoresNothing()
    {
        var body = ProviderFakes.ValidBody("onepassword", "Unreachable vault");
        body["vault"] = "Finance";
        var problem = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider_rejected");
        Assert.Contains("cannot access vault 'Finance'", (string?)problem["title"]);
        var list = await (await Owner().GetAsync(Url(Acme, "/vault-connections"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(list.AsArray());
        Assert.Empty(await StoredKeysAsync());
    }

    [Theory]
    [InlineData("doppler")]
    [InlineData("infisical")]
    public async Task Create_VaultOnAnotherProvider_Is400(string vaultType)
    {
        var body = ProviderFakes.ValidBody(vaultType, "Not 1Password");
        body["vault"] = "DevOps";
        await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertValidationErrorAsync("vault");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Create_EmptyOrTooLongVault_Is400(string vault)
    {
        var body = ProviderFakes.ValidBody("onepassword", "Bad vault");
        body["vault"] = vault;
        await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertValidationErrorAsync("vault");
        body["vault"] = new string('v', 256);
        await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertValidationErrorAsync("vault");
    }

    [Fact]
    public async Task Rotate_KeepsTheVault_AndPatchChangingItReverifies()
    {
        var created = await CreateOnePasswordAsync("DevOps");
        var url = Url(Acme, $"/vault-connections/{created["id"]}");
        var rotated = await (await Owner().PostJsonAsync($"{url}/rotate", new Dictionary<string, object?> { ["access_token"] = ProviderFakes.OnePasswordToken }))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("DevOps", (string?)rotated["vault"]);
        Assert.Equal(["vault", "get", "DevOps", "--format", "json"], Fakes.Op.ReadArgv());

        await (await Owner().PatchRawAsync(url, """{"vault":"Finance"}""")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider_rejected");
        var unchanged = await (await Owner().GetAsync(url)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("DevOps", (string?)unchanged["vault"]);

        var changed = await (await Owner().PatchRawAsync(url, """{"vault":"Shared"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Shared", (string?)changed["vault"]);
        Assert.Equal(["vault", "get", "Shared", "--format", "json"], Fakes.Op.ReadArgv());

        var doppler = await CreateConnectionAsync("doppler");
        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{doppler["id"]}"), """{"vault":"Shared"}""")).AssertValidationErrorAsync("vault");
    }

    private static Dictionary<string, object?> SecretBody(JsonNode connection, string vault) => new()
    {
        ["name"] = $"s3-{Guid.NewGuid():N}",
        ["secret_type"] = "s3",
        ["auth_method"] = "s3_access_key",
        ["vault_connection_id"] = (string?)connection["id"],
        ["field_mappings"] = SecretCatalog.FindAuthMethod("s3", "s3_access_key")!.Fields
            .Select(f => new Dictionary<string, string?> { ["field_name"] = f.Name, ["reference"] = $"op://{vault}/AWS-Prod/{f.Name}" }).ToList(),
    };

    [Fact]
    public async Task Secret_OnScopedConnection_MustReferenceThatVault()
    {
        var scoped = await CreateOnePasswordAsync("DevOps");
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), SecretBody(scoped, "Shared"))).AssertValidationErrorAsync("field_mappings[0].reference");
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), SecretBody(scoped, "devops"))).AssertStatusAsync(HttpStatusCode.Created);

        var byId = await CreateOnePasswordAsync(VaultBrowsePortal.DevOpsId);
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), SecretBody(byId, VaultBrowsePortal.DevOpsId))).AssertStatusAsync(HttpStatusCode.Created);

        var unscoped = await CreateOnePasswordAsync(null);
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), SecretBody(unscoped, "Shared"))).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Browse_OnePassword_VaultsItemsFields_NeverAValue()
    {
        var connection = await CreateOnePasswordAsync(null);
        var vaults = await BrowseAsync(connection, "");
        Assert.Equal("", (string?)vaults["path"]);
        Assert.Equal([("DevOps", "vault", "DevOps", null), ("Shared", "vault", "Shared", null)], Entries(vaults));

        var items = await BrowseAsync(connection, "DevOps");
        Assert.Equal([("AWS-Prod", "item", "DevOps/AWS-Prod", null), ("Backblaze", "item", "DevOps/Backblaze", null)], Entries(items));
        Assert.Equal(["item", "list", "--vault", "DevOps", "--format", "json"], Fakes.Op.ReadArgv());

        var fields = await BrowseAsync(connection, "DevOps/AWS-Prod");
        Assert.Equal("DevOps/AWS-Prod", (string?)fields["path"]);
        Assert.Equal(
        [
            ("access_key_id", "field", "DevOps/AWS-Prod/access_key_id", "op://DevOps/AWS-Prod/access_key_id"),
            ("secret_access_key", "field", "DevOps/AWS-Prod/secret_access_key", "op://DevOps/AWS-Prod/secret_access_key"),
            ("region", "field", "DevOps/AWS-Prod/Settings/region", "op://DevOps/AWS-Prod/Settings/region"),
        ], Entries(fields));
        Assert.Equal(["item", "get", "AWS-Prod", "--vault", "DevOps", "--format", "json"], Fakes.Op.ReadArgv());
        Assert.DoesNotContain("eu-west-1", fields.ToJsonString());
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(Canary, StringComparison.OrdinalIgnoreCase) || l.Contains("eu-west-1"));
    }

    [Fact]
    public async Task Browse_Scoped_OnlyThatVault_OthersAre400Path()
    {
        var connection = await CreateOnePasswordAsync("DevOps");
        var runs = Fakes.Op.Runs;
        Assert.Equal([("DevOps", "vault", "DevOps", null)], Entries(await BrowseAsync(connection, "")));
        Assert.Equal(runs, Fakes.Op.Runs);
        await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{connection["id"]}/browse?path=Shared"))).AssertValidationErrorAsync("path");
        await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{connection["id"]}/browse?path=DevOps/AWS-Prod/x"))).AssertValidationErrorAsync("path");
        Assert.Equal(2, Entries(await BrowseAsync(connection, "DevOps")).Count);
    }

    [Fact]
    public async Task Browse_OnePassword_CountsReadsAndCachesFor60Seconds()
    {
        var connection = await CreateOnePasswordAsync(null);
        var id = Guid.Parse((string)connection["id"]!);
        var meter = Portal.Services.GetRequiredService<IProviderReadMeter>();
        var before = meter.ReadsThisHour(id);

        await BrowseAsync(connection, "");
        Assert.Equal(before + 1, meter.ReadsThisHour(id));
        await BrowseAsync(connection, "DevOps");
        Assert.Equal(before + 2, meter.ReadsThisHour(id));
        await BrowseAsync(connection, "DevOps/Backblaze");
        Assert.Equal(before + 5, meter.ReadsThisHour(id));

        var runs = Fakes.Op.Runs;
        var again = await BrowseAsync(connection, "DevOps/Backblaze");
        Assert.Equal([("application_key", "field", "DevOps/Backblaze/application_key", "op://DevOps/Backblaze/application_key")], Entries(again));
        Assert.Equal(runs, Fakes.Op.Runs);
        Assert.Equal(before + 5, meter.ReadsThisHour(id));
    }

    [Fact]
    public async Task Browse_UnknownItem_IsProviderRejected()
    {
        var connection = await CreateOnePasswordAsync(null);
        var response = await Owner().GetAsync(Url(Acme, $"/vault-connections/{connection["id"]}/browse?path=DevOps/Nothing"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider_rejected");
        Assert.Contains("'Nothing'", (string?)problem["title"]);
    }

    [Fact]
    public async Task Browse_Doppler_SecretNames()
    {
        Fakes.Doppler.SetSecrets(ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = $"AKIA{Canary}0002",
            ["AWS_SECRET_ACCESS_KEY"] = $"{Canary}-doppler-secret",
        });
        var connection = await CreateConnectionAsync("doppler");
        var body = await BrowseAsync(connection, "");
        Assert.Equal(
        [
            ("AWS_ACCESS_KEY_ID", "secret", "AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
            ("AWS_SECRET_ACCESS_KEY", "secret", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
        ], Entries(body));
        Assert.Contains(Fakes.Doppler.Requests, r => r.Path == "/v3/configs/config/secrets/names");
        await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{connection["id"]}/browse?path=x"))).AssertValidationErrorAsync("path");
    }

    [Fact]
    public async Task Browse_Infisical_KeysAndFolders()
    {
        Fakes.Infisical.SetSecrets(ProviderFakes.InfisicalProjectId, ProviderFakes.InfisicalEnvironment, new Dictionary<string, string>
        {
            ["B2_KEY_ID"] = $"{Canary}-keyid",
            ["B2_APPLICATION_KEY"] = $"{Canary}-infisical-value",
        });
        Fakes.Infisical.SetFolders(ProviderFakes.InfisicalProjectId, ProviderFakes.InfisicalEnvironment, "/", "storage");
        var connection = await CreateConnectionAsync("infisical");
        var body = await BrowseAsync(connection, "");
        Assert.Equal(
        [
            ("B2_APPLICATION_KEY", "secret", "B2_APPLICATION_KEY", "B2_APPLICATION_KEY"),
            ("B2_KEY_ID", "secret", "B2_KEY_ID", "B2_KEY_ID"),
            ("storage", "folder", "storage", null),
        ], Entries(body));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(Canary, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(TeamRole.Admin, HttpStatusCode.OK)]
    [InlineData(TeamRole.Operator, HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Viewer, HttpStatusCode.Forbidden)]
    public async Task Browse_Roles(TeamRole role, HttpStatusCode expected)
    {
        var connection = await CreateOnePasswordAsync("DevOps");
        var (_, _, key) = await Portal.AddMemberAsync(Acme, role);
        var response = await Portal.CreateClient(key).GetAsync(Url(Acme, $"/vault-connections/{connection["id"]}/browse?path="));
        await response.AssertStatusAsync(expected);
    }

    [Fact]
    public async Task Browse_OtherTeamsConnection_Is404()
    {
        var connection = await CreateOnePasswordAsync("DevOps");
        var response = await Owner(Globex).GetAsync(Url(Globex, $"/vault-connections/{connection["id"]}/browse?path="));
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
