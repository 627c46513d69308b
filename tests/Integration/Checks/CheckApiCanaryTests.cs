using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>
/// Plants recognisable B2 keys as a direct secret and behind the Doppler, Infisical and op fakes, checks every secret
/// through the API (good and refused keys, a missing reference), and shows the values appear in no response, page,
/// log line, audit event or file of the data folder.
/// </summary>
public sealed class CheckApiCanaryTests : IAsyncLifetime
{
    private const string Canary = "CANARYc7d4";
    private const string KeyId = "0051234567890ab0000000099";
    private static readonly string GoodKey = $"K005{Canary}goodApplicationKey01";
    private static readonly string WrongKey = $"K005{Canary}wrongApplicationKey1";

    private readonly CapturingLoggerProvider _logs = new();
    private readonly List<string> _responses = [];
    private ProviderFakes _fakes = null!;
    private FakeB2Server _b2 = null!;
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        _b2 = (await FakeB2Server.StartAsync()).AddKey(KeyId, GoodKey, ["listFiles", "readFiles"]);
        _fakes.Doppler.SetSecrets(ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig,
            new Dictionary<string, string> { ["B2_KEY_ID"] = KeyId, ["B2_KEY"] = GoodKey });
        _fakes.Infisical.SetSecrets(ProviderFakes.InfisicalProjectId, ProviderFakes.InfisicalEnvironment,
            new Dictionary<string, string> { ["B2_KEY_ID"] = KeyId, ["B2_KEY"] = WrongKey });
        _fakes.Op.SetReference("op://DevOps/B2/key_id", KeyId).SetReference("op://DevOps/B2/key", GoodKey);
        var options = new TestPortalOptions { Logger = _logs };
        _fakes.Configure(options);
        options.Settings["Storage:B2:BaseUrl"] = _b2.BaseUrl;
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync("Canary checks", "pro", "owner@canary-checks.example");
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _b2.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private async Task<JsonNode> Record(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        _responses.Add($"{(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task CheckedValues_AppearNowhere()
    {
        var api = _portal.CreateClient(_team.OwnerKey);
        var url = $"/v1/teams/{_team.TeamId}";
        var secrets = new List<string>
        {
            (string)(await Record(api.PostJsonAsync($"{url}/secrets", B2Secret("Direct good", new() { ["application_key_id"] = KeyId, ["application_key"] = GoodKey }))))["id"]!,
            (string)(await Record(api.PostJsonAsync($"{url}/secrets", B2Secret("Direct wrong", new() { ["application_key_id"] = KeyId, ["application_key"] = WrongKey }))))["id"]!,
        };
        foreach (var (vaultType, keyId, key) in new[]
                 {
                     ("doppler", "B2_KEY_ID", "B2_KEY"), ("infisical", "B2_KEY_ID", "B2_KEY"),
                     ("onepassword", "op://DevOps/B2/key_id", "op://DevOps/B2/key"), ("doppler", "B2_KEY_ID", "NOT_THERE"),
                 })
        {
            var connection = (string)(await Record(api.PostJsonAsync($"{url}/vault-connections",
                ProviderFakes.ValidBody(vaultType, $"{vaultType}-{Guid.NewGuid():N}"))))["id"]!;
            var body = new Dictionary<string, object?>
            {
                ["name"] = $"Vault {vaultType} {key}", ["secret_type"] = "b2", ["auth_method"] = "b2_application_key", ["vault_connection_id"] = connection,
                ["field_mappings"] = new[]
                {
                    new Dictionary<string, string> { ["field_name"] = "application_key_id", ["reference"] = keyId },
                    new Dictionary<string, string> { ["field_name"] = "application_key", ["reference"] = key },
                },
            };
            secrets.Add((string)(await Record(api.PostJsonAsync($"{url}/secrets", body)))["id"]!);
        }

        var statuses = new List<string>();
        foreach (var id in secrets)
        {
            statuses.Add((string)(await Record(api.PostAsync($"{url}/secrets/{id}/check", null)))["status"]!);
            await Record(api.GetAsync($"{url}/secrets/{id}"));
        }
        await Record(api.GetAsync($"{url}/secrets"));

        // The plan worked: good keys accepted, the wrong one refused, the missing reference found missing.
        Assert.Equal(["ok", "rejected", "ok", "rejected", "ok", "missing"], statuses);

        var browser = await SignedInClient.CreateAsync(_portal, _team.OwnerEmail);
        var pages = new StringBuilder();
        foreach (var page in new[] { "/", "/secrets", "/secrets?health=needs_attention", $"/secrets/{secrets[0]}/edit", "/vault-connections" })
        {
            var response = await browser.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.AppendLine(await response.Content.ReadAsStringAsync());
        }
        Assert.Contains("Direct wrong", pages.ToString());

        var audit = await _portal.WithAsync<PortalDbContext, List<string>>(async db =>
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.TeamId == _team.TeamId).ToListAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
            return events.Select(e => $"{e.Action} {e.Details}").ToList();
        });
        Assert.Equal(secrets.Count, audit.Count(e => e.StartsWith("secret.checked", StringComparison.Ordinal)));

        var disk = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(_portal.DataDir, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            disk.AppendLine(Encoding.Latin1.GetString(bytes)).AppendLine(Encoding.Unicode.GetString(bytes));
        }

        Assert.Contains(_logs.Lines, l => l.Contains("checked by", StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, string.Join("\n", _responses));
        Assert.DoesNotContain(Canary, pages.ToString());
        Assert.DoesNotContain(Canary, string.Join("\n", _logs.Lines));
        Assert.DoesNotContain(Canary, string.Join("\n", audit));
        Assert.DoesNotContain(Canary, disk.ToString());
        Assert.Contains("Direct wrong", disk.ToString());
    }

    private static Dictionary<string, object?> B2Secret(string name, Dictionary<string, string> credentials) => new()
    {
        ["name"] = name, ["secret_type"] = "b2", ["auth_method"] = "b2_application_key", ["credentials"] = credentials,
    };
}
