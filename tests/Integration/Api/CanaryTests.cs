using System.Net;
using System.Text;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

/// <summary>
/// Plants recognisable credentials through every write path, then shows they appear in no API answer,
/// no rendered page, no log line, and nowhere in plaintext on disk (SQLite file and credential store).
/// </summary>
public sealed class CanaryTests : IAsyncLifetime
{
    private const string Canary = "CANARYf3a9";
    private readonly CapturingLoggerProvider _logs = new();
    private readonly List<string> _responses = [];
    private TestPortal _portal = null!;
    private ProviderFakes _fakes = null!;
    private TeamFixture _team = null!;

    private static readonly string DopplerToken = $"dp.st.prd.{Canary}doppler0001";
    private static readonly string OnePasswordToken = $"ops_{Canary}onepassword0001";
    private static readonly string InfisicalSecret = $"{Canary}-infisical-client-secret";
    private const string CanaryClientId = "5c1e0a7b-2f4d-4e9a-8b3c-6d7e8f9a0b1c";
    private static readonly string RotatedToken = $"dp.st.prd.{Canary}rotated0002";

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        _fakes.Doppler.AcceptToken(DopplerToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        _fakes.Doppler.AcceptToken(RotatedToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        _fakes.Op.AcceptedToken = OnePasswordToken;
        _fakes.Infisical.AddClient(CanaryClientId, InfisicalSecret, ProviderFakes.InfisicalProjectId, ProviderFakes.InfisicalEnvironment);
        _fakes.Doppler.EchoToken = CredentialEcho.Verbatim;
        _fakes.Infisical.EchoCredentials = CredentialEcho.Verbatim;
        _fakes.Op.EchoToken = CredentialEcho.Verbatim;
        var options = new TestPortalOptions { Logger = _logs };
        _fakes.Configure(options);
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync("Canary team", "pro", "owner@canary.example");
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private async Task<string> Record(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        _responses.Add($"{(int)response.StatusCode} {text}");
        return text;
    }

    [Fact]
    public async Task PlantedCredentials_AppearNowhere()
    {
        var api = _portal.CreateClient(_team.OwnerKey);
        var url = $"/v1/teams/{_team.TeamId}";
        var bodies = new[]
        {
            ProviderFakes.ValidBody("doppler", "Canary Doppler"),
            ProviderFakes.ValidBody("onepassword", "Canary 1Password"),
            ProviderFakes.ValidBody("infisical", "Canary Infisical"),
        };
        bodies[0]["access_token"] = DopplerToken;
        bodies[1]["access_token"] = OnePasswordToken;
        bodies[2]["client_secret"] = InfisicalSecret;
        bodies[2]["client_id"] = CanaryClientId;
        var ids = new List<string>();
        foreach (var body in bodies)
        {
            var created = System.Text.Json.Nodes.JsonNode.Parse(await Record(api.PostJsonAsync($"{url}/vault-connections", body)))!;
            ids.Add((string)created["id"]!);
        }
        // Rejected credentials (the fakes echo them back in their errors).
        var rejected = ProviderFakes.ValidBody("doppler", "Rejected");
        rejected["access_token"] = $"dp.st.prd.{Canary}rejected";
        await Record(api.PostJsonAsync($"{url}/vault-connections", rejected));
        var rejectedOp = ProviderFakes.ValidBody("onepassword", "Rejected op");
        rejectedOp["access_token"] = $"ops_{Canary}rejected";
        await Record(api.PostJsonAsync($"{url}/vault-connections", rejectedOp));
        // Invalid input carrying a credential.
        await Record(api.PostRawAsync($"{url}/vault-connections", $$"""{"name":"bad","vault_type":"doppler","access_token":"ops_{{Canary}}wrongprefix"}"""));

        await Record(api.PostRawAsync($"{url}/vault-connections/{ids[0]}/rotate", $$"""{"access_token":"{{RotatedToken}}"}"""));
        await Record(api.PostRawAsync($"{url}/vault-connections/{ids[1]}/rotate", $$"""{"access_token":"ops_{{Canary}}refused"}"""));
        foreach (var id in ids)
        {
            await Record(api.PostAsync($"{url}/vault-connections/{id}/verify", null));
            await Record(api.GetAsync($"{url}/vault-connections/{id}"));
        }

        var secret = await Record(api.PostJsonAsync($"{url}/secrets", new Dictionary<string, object?>
        {
            ["name"] = "Canary S3", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = $"AKIA{Canary}", ["secret_access_key"] = $"{Canary}/secret+key" },
        }));
        var secretId = (string)System.Text.Json.Nodes.JsonNode.Parse(secret)!["id"]!;
        await Record(api.PostJsonAsync($"{url}/secrets", new Dictionary<string, object?>
        {
            ["name"] = "Canary SAS", ["secret_type"] = "azure_blob", ["auth_method"] = "azure_sas_url",
            ["credentials"] = new Dictionary<string, string> { ["sas_url"] = $"https://acct.blob.core.windows.net/c?sv=1&sig={Canary}sig" },
        }));
        await Record(api.PatchRawAsync($"{url}/secrets/{secretId}", $$$"""{"credentials":{"access_key_id":"AKIA2{{{Canary}}}","secret_access_key":"{{{Canary}}}-rotated"}}"""));
        await Record(api.PostRawAsync($"{url}/secrets", $$$"""{"name":"x","secret_type":"gcs","auth_method":"gcs_service_account","credentials":{"service_account_json":"{\"type\":\"user\",\"private_key\":\"{{{Canary}}}pk\"}"}}"""));
        await Record(api.GetAsync($"{url}/secrets"));
        await Record(api.GetAsync($"{url}/secrets/{secretId}"));
        await Record(api.GetAsync($"{url}/vault-connections"));

        // The plan worked: three connections, two secrets.
        Assert.True(3 == System.Text.Json.Nodes.JsonNode.Parse(await Record(api.GetAsync($"{url}/vault-connections")))!.AsArray().Count, string.Join("\n", _responses.Take(3)));

        // Pages, prerendered for a signed-in Owner.
        var browser = await SignedInClient.CreateAsync(_portal, _team.OwnerEmail);
        var pages = new StringBuilder();
        foreach (var page in new[] { "/", "/vault-connections", "/secrets", $"/secrets/{secretId}/edit", "/plan", "/api-keys", "/members" })
        {
            var response = await browser.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.AppendLine(await response.Content.ReadAsStringAsync());
        }
        Assert.Contains("Canary Doppler", pages.ToString());
        Assert.Contains("Canary S3", pages.ToString());

        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        var disk = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(_portal.DataDir, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            disk.AppendLine(Encoding.Latin1.GetString(bytes)).AppendLine(Encoding.Unicode.GetString(bytes));
        }

        Assert.True(_logs.Lines.Count > 0, "the portal logged nothing at all; the log check would prove nothing");
        Assert.Contains(_logs.Lines, l => l.Contains("Vault connection", StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, string.Join("\n", _responses));
        Assert.DoesNotContain(Canary, pages.ToString());
        Assert.DoesNotContain(Canary, string.Join("\n", _logs.Lines));
        Assert.DoesNotContain(Canary, disk.ToString());
        Assert.Contains("Canary Doppler", disk.ToString());
    }
}
