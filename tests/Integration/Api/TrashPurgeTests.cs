using System.Net;
using Dataraven.Core.Audit;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Trash;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dataraven.Tests.Api;

/// <summary>
/// The background purge pass on a fake clock (<c>Retention:DeletedDays</c> = 7 here), and a canary: a credential that
/// goes through delete, trash, restore and purge appears in no answer, log line or audit event.
/// </summary>
public sealed class TrashPurgeTests : IAsyncLifetime
{
    private const string Canary = "CANARYtr4sh";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private ProviderFakes _fakes = null!;
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        var options = new TestPortalOptions { Logger = _logs };
        _fakes.Configure(options);
        options.Settings["Retention:DeletedDays"] = "7";
        options.Services = services => services.AddSingleton<TimeProvider>(_clock);
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync("Purged", "pro");
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private HttpClient Owner => _portal.CreateClient(_team.OwnerKey);

    private string Url(string rest) => $"/v1/teams/{_team.TeamId}{rest}";

    private static Dictionary<string, object?> Secret(string name, string accessKey = "AKIAEXAMPLE", string secretKey = "secret") => new()
    {
        ["name"] = name,
        ["secret_type"] = "s3",
        ["auth_method"] = "s3_access_key",
        ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = accessKey, ["secret_access_key"] = secretKey },
    };

    private async Task<string> CreateAsync(string name) =>
        (string)(await (await Owner.PostJsonAsync(Url("/secrets"), Secret(name))).AssertStatusAsync(HttpStatusCode.Created))["id"]!;

    private Task<PurgePass> PassAsync() => _portal.Services.GetRequiredService<TrashPurger>().RunOnceAsync();

    [Fact]
    public async Task PurgePass_TakesOnlyWhatIsPastPurgeAt_RecordThenCredential_AsSystem()
    {
        var early = await CreateAsync("early");
        var connection = (string)(await (await Owner.PostJsonAsync(Url("/vault-connections"), ProviderFakes.ValidBody("doppler", "old vault")))
            .AssertStatusAsync(HttpStatusCode.Created))["id"]!;
        await (await Owner.DeleteAsync(Url($"/secrets/{early}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await Owner.DeleteAsync(Url($"/vault-connections/{connection}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        var trash = (await (await Owner.GetAsync(Url("/trash"))).ReadJsonAsync())["items"]!.AsArray();
        Assert.All(trash, i => Assert.Equal(TimeSpan.FromDays(7), (DateTime)i!["purge_at"]! - (DateTime)i["deleted_at"]!));

        _clock.Advance(TimeSpan.FromDays(3));
        var late = await CreateAsync("late");
        await (await Owner.DeleteAsync(Url($"/secrets/{late}"))).AssertStatusAsync(HttpStatusCode.NoContent);

        _clock.Advance(TimeSpan.FromDays(4) - TimeSpan.FromMinutes(1));
        Assert.Equal(new PurgePass(0, 0, 0), await PassAsync());
        Assert.Equal(3, (await (await Owner.GetAsync(Url("/trash"))).ReadJsonAsync())["items"]!.AsArray().Count);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new PurgePass(1, 1, 0), await PassAsync());
        var store = _portal.Services.GetRequiredService<ICredentialStore>();
        Assert.Null(await store.GetAsync(CredentialKey.ForSecret(_team.TeamId, Guid.Parse(early))));
        Assert.Null(await store.GetAsync(CredentialKey.ForVaultConnection(_team.TeamId, Guid.Parse(connection))));
        Assert.NotNull(await store.GetAsync(CredentialKey.ForSecret(_team.TeamId, Guid.Parse(late))));
        var left = Assert.Single((await (await Owner.GetAsync(Url("/trash"))).ReadJsonAsync())["items"]!.AsArray())!;
        Assert.Equal(late, (string?)left["id"]);

        var purged = await _portal.WithAsync<PortalDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.TeamId == _team.TeamId && (e.Action == AuditActions.SecretPurged || e.Action == AuditActions.VaultConnectionPurged)).ToListAsync());
        Assert.Equal(2, purged.Count);
        Assert.All(purged, e => Assert.Equal("system", e.ActorType));

        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(new PurgePass(1, 0, 0), await PassAsync());
        Assert.Empty((await (await Owner.GetAsync(Url("/trash"))).ReadJsonAsync())["items"]!.AsArray());
        Assert.Equal(new PurgePass(0, 0, 0), await PassAsync());
    }

    [Fact]
    public async Task Canary_ThroughDeleteTrashRestorePurge_AppearsNowhere()
    {
        var responses = new List<string>();
        async Task<string> Record(Task<HttpResponseMessage> call)
        {
            var response = await call;
            var text = await response.Content.ReadAsStringAsync();
            responses.Add($"{(int)response.StatusCode} {text}");
            return text;
        }
        var created = System.Text.Json.Nodes.JsonNode.Parse(await Record(Owner.PostJsonAsync(Url("/secrets"),
            Secret("canary", $"AKIA{Canary}0001", $"{Canary}-secret-access-key"))))!;
        var id = (string)created["id"]!;
        await Record(Owner.DeleteAsync(Url($"/secrets/{id}")));
        await Record(Owner.GetAsync(Url("/trash")));
        await Record(Owner.PostRawAsync(Url($"/secrets/{id}/restore"), """{"name":"canary back"}"""));
        await Record(Owner.GetAsync(Url($"/secrets/{id}")));
        await Record(Owner.DeleteAsync(Url($"/secrets/{id}")));
        await Record(Owner.DeleteAsync(Url($"/trash/{id}")));
        await Record(Owner.GetAsync(Url("/audit-events")));

        Assert.Contains(responses, r => r.StartsWith("204", StringComparison.Ordinal));
        Assert.Contains(responses, r => r.Contains("canary back", StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, string.Join("\n", responses));
        Assert.Contains(_logs.Lines, l => l.Contains("trash", StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, string.Join("\n", _logs.Lines));
        var details = await _portal.WithAsync<PortalDbContext, List<string?>>(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.TeamId == _team.TeamId).Select(e => e.Details).ToListAsync());
        Assert.Contains(details, d => d != null && d.Contains("\"trash\":true", StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, string.Join("\n", details));
    }
}
