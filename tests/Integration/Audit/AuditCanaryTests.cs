using System.Net;
using System.Text;
using System.Text.Json;
using Dataraven.Core.Teams;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Audit;

/// <summary>Credentials planted through every credential write, accepted or refused, appear in no column of any audit event.</summary>
public sealed class AuditCanaryTests : IAsyncLifetime
{
    private const string Canary = "CANARYa7d1";
    private static readonly string DopplerToken = $"dp.st.prd.{Canary}doppler";
    private static readonly string RotatedToken = $"dp.st.prd.{Canary}rotated";
    private static readonly string OnePasswordToken = $"ops_{Canary}onepassword";
    private static readonly string InfisicalSecret = $"{Canary}-infisical-secret";
    private const string InfisicalClientId = "9d2b6c1e-3f4a-4b5c-8d7e-1a2b3c4d5e6f";

    private TestPortal _portal = null!;
    private ProviderFakes _fakes = null!;
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        _fakes.Doppler.AcceptToken(DopplerToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        _fakes.Doppler.AcceptToken(RotatedToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        _fakes.Op.AcceptedToken = OnePasswordToken;
        _fakes.Infisical.AddClient(InfisicalClientId, InfisicalSecret, ProviderFakes.InfisicalProjectId, ProviderFakes.InfisicalEnvironment);
        var options = new TestPortalOptions();
        _fakes.Configure(options);
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync("Canary team", "pro");
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private static Dictionary<string, object?> Secret(string name, string type, string method, Dictionary<string, string> credentials) => new()
    {
        ["name"] = name, ["secret_type"] = type, ["auth_method"] = method, ["credentials"] = credentials,
    };

    private static readonly string ServiceAccountJson = JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["client_email"] = $"{Canary}@project.iam.gserviceaccount.com",
        ["private_key"] = $"-----BEGIN PRIVATE KEY-----\n{Canary}key\n-----END PRIVATE KEY-----\n",
    });

    [Fact]
    public async Task PlantedCredentials_AppearInNoEvent()
    {
        var owner = _portal.CreateClient(_team.OwnerKey);
        var (_, _, viewerKey) = await _portal.AddMemberAsync(_team, TeamRole.Viewer);
        var viewer = _portal.CreateClient(viewerKey);
        var url = $"/v1/teams/{_team.TeamId}";

        var doppler = ProviderFakes.ValidBody("doppler", "Canary Doppler");
        doppler["access_token"] = DopplerToken;
        var op = ProviderFakes.ValidBody("onepassword", "Canary 1Password");
        op["access_token"] = OnePasswordToken;
        var infisical = ProviderFakes.ValidBody("infisical", "Canary Infisical");
        (infisical["client_id"], infisical["client_secret"]) = (InfisicalClientId, InfisicalSecret);
        var connection = (string)(await (await owner.PostJsonAsync($"{url}/vault-connections", doppler)).AssertStatusAsync(HttpStatusCode.Created))["id"]!;
        await (await owner.PostJsonAsync($"{url}/vault-connections", op)).AssertStatusAsync(HttpStatusCode.Created);
        await (await owner.PostJsonAsync($"{url}/vault-connections", infisical)).AssertStatusAsync(HttpStatusCode.Created);
        await (await owner.PostJsonAsync($"{url}/vault-connections/{connection}/rotate", new { access_token = RotatedToken })).AssertStatusAsync(HttpStatusCode.OK);

        var s3 = Secret("Canary S3", "s3", "s3_access_key", new() { ["access_key_id"] = $"AKIA{Canary}", ["secret_access_key"] = $"{Canary}/secret+key" });
        var secret = (string)(await (await owner.PostJsonAsync($"{url}/secrets", s3)).AssertStatusAsync(HttpStatusCode.Created))["id"]!;
        await (await owner.PostJsonAsync($"{url}/secrets", Secret("Canary SAS", "azure_blob", "azure_sas_url",
            new() { ["sas_url"] = $"https://acct.blob.core.windows.net/c?sv=2024-01-01&sig={Canary}sig" }))).AssertStatusAsync(HttpStatusCode.Created);
        await (await owner.PostJsonAsync($"{url}/secrets", Secret("Canary GCS", "gcs", "gcs_service_account",
            new() { ["service_account_json"] = ServiceAccountJson }))).AssertStatusAsync(HttpStatusCode.Created);
        await (await owner.PostJsonAsync($"{url}/secrets", Secret("Canary Azure key", "azure_blob", "azure_account_key",
            new() { ["account_name"] = "canaryacct", ["account_key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Canary}-account-key")) })))
            .AssertStatusAsync(HttpStatusCode.Created);
        await (await owner.PatchRawAsync($"{url}/secrets/{secret}",
            $$$"""{"credentials":{"access_key_id":"AKIA2{{{Canary}}}","secret_access_key":"{{{Canary}}}-rotated"}}""")).AssertStatusAsync(HttpStatusCode.OK);

        // Refused attempts carrying credentials: the provider's refusal, the role's, a limit's.
        var rejected = ProviderFakes.ValidBody("doppler", "Rejected");
        rejected["access_token"] = $"dp.st.prd.{Canary}rejected";
        await (await owner.PostJsonAsync($"{url}/vault-connections", rejected)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider_rejected");
        await (await owner.PostJsonAsync($"{url}/vault-connections/{connection}/rotate", new { access_token = $"dp.st.prd.{Canary}refused" }))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider_rejected");
        await (await viewer.PostJsonAsync($"{url}/secrets", s3)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        await (await viewer.PostJsonAsync($"{url}/vault-connections/{connection}/rotate", new { access_token = RotatedToken }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        await (await owner.PutRawAsync($"{url}/tier", """{"tier":"free"}""")).AssertStatusAsync(HttpStatusCode.OK);
        doppler["name"] = "Over the limit";
        await (await owner.PostJsonAsync($"{url}/vault-connections", doppler)).AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");

        var events = await AuditTable.AllAsync(_portal);
        // The table holds what happened (not vacuously empty): 3 + 1 + 4 + 1 changes and 5 refusals, plus the fixtures' own.
        Assert.Equal(5, events.Count(e => e.TeamId == _team.TeamId && e.Outcome == "failed"));
        Assert.Equal(5, events.Count(e => e.Action.StartsWith("secret.", StringComparison.Ordinal) && e.Outcome == "succeeded"));
        var dump = JsonSerializer.Serialize(events);
        Assert.Contains("Canary S3", dump);
        Assert.DoesNotContain(Canary, dump);
        Assert.DoesNotContain("AKIA", dump);
    }
}
