using Dataraven.Core.Audit;
using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>
/// One scheduled pass, driven directly, on the real checker: B2 keys direct and behind the Doppler and op fakes. The
/// interval is one pass period, so one pass takes everything that is due.
/// </summary>
public sealed class CheckSchedulerTests : IAsyncLifetime
{
    private const string KeyId = "0051234567890ab0000000055";
    private const string GoodKey = "K005schedulerGoodApplicationKey";
    private const string WrongKey = "K005schedulerWrongApplicationKy";
    private const int Concurrency = 2;

    private readonly InFlight _inFlight = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ProviderFakes _fakes = null!;
    private FakeB2Server _b2 = null!;
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        _b2 = (await FakeB2Server.StartAsync()).AddKey(KeyId, GoodKey, ["listFiles"]);
        _fakes.Doppler.SetSecrets(ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig,
            new Dictionary<string, string> { ["B2_KEY_ID"] = KeyId, ["B2_KEY"] = GoodKey });
        _fakes.Op.SetReference("op://DevOps/B2/key_id", KeyId).SetReference("op://DevOps/B2/key", GoodKey);
        var options = new TestPortalOptions();
        _fakes.Configure(options);
        options.Settings["Storage:B2:BaseUrl"] = _b2.BaseUrl;
        options.Settings["Checks:Concurrency"] = Concurrency.ToString();
        options.Settings["Checks:IntervalMinutes"] = "1";
        // Room for one 1Password secret (two reads) of the two this pass would check.
        options.Settings["Checks:OnePasswordReadsPerHour"] = "3";
        options.Services = services =>
        {
            services.AddSingleton(_inFlight);
            services.AddSingleton<TimeProvider>(_clock);
            services.AddScoped<SecretChecker>();
            services.AddScoped<ISecretChecker, CountingChecker>();
        };
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync("Scheduled", "pro");
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _b2.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    [Fact]
    public async Task RunOnce_ChecksEverything_BoundedConcurrency_FailingNeedsAttention_1PasswordBudgetDefers()
    {
        var owner = new TeamActor(_team.TeamId, _team.OwnerId, TeamRole.Owner);
        var doppler = await ConnectAsync(owner, "doppler");
        var onePassword = await ConnectAsync(owner, "onepassword");
        var good = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            good.Add(await DirectAsync(owner, $"good-{i}", GoodKey));
        }
        var wrong = await DirectAsync(owner, "wrong", WrongKey);
        good.Add(await VaultAsync(owner, "via doppler", doppler, "B2_KEY_ID", "B2_KEY"));
        var viaOp = new[]
        {
            await VaultAsync(owner, "via op 1", onePassword, "op://DevOps/B2/key_id", "op://DevOps/B2/key"),
            await VaultAsync(owner, "via op 2", onePassword, "op://DevOps/B2/key_id", "op://DevOps/B2/key"),
        };
        // The Doppler token is revoked after the connection was saved: the connection's own check now fails.
        _fakes.Doppler.ForbidToken(ProviderFakes.DopplerToken);
        _fakes.Doppler.SetSecrets(ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig, new Dictionary<string, string>());

        // The connections were verified when saved: they are due again one interval later.
        _clock.Advance(CheckScheduler.PassPeriod);
        var pass = await _portal.Services.GetRequiredService<CheckScheduler>().RunOnceAsync();

        Assert.Equal(new CheckPass(ConnectionsChecked: 2, SecretsChecked: 7, Failing: 3, Deferred: 1, Errors: 0), pass);
        Assert.Equal(Concurrency, _inFlight.Max);
        Assert.Equal(7, _inFlight.Total);

        var health = await _portal.WithAsync<SecretHealthService, IReadOnlyDictionary<Guid, HealthView>>(s => s.TeamHealthAsync(_team.TeamId));
        Assert.All(good.Take(4), id => Assert.Equal(CheckStatus.Ok, health[id].Status));
        Assert.Equal(CheckStatus.Rejected, health[wrong].Status);
        Assert.True(health[wrong].NeedsAttention);
        Assert.True(health[good[4]].NeedsAttention, "the secret behind the revoked Doppler token");
        Assert.Equal([CheckStatus.Ok, CheckStatus.Unchecked], viaOp.Select(id => health[id].Status).Order());
        Assert.Equal(2, health.Values.Count(h => h.NeedsAttention));

        var connections = await _portal.WithAsync<PortalDbContext, List<VaultConnection>>(db =>
            db.VaultConnections.AsNoTracking().Where(c => c.TeamId == _team.TeamId).ToListAsync());
        Assert.Equal(VaultConnectionStatus.Failing, connections.Single(c => c.Id == doppler).Status);
        Assert.Equal(VaultConnectionStatus.Verified, connections.Single(c => c.Id == onePassword).Status);
        Assert.All(connections, c => Assert.NotNull(c.LastVerifiedAt));

        var events = await _portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
            db.AuditEvents.AsNoTracking().Where(e => e.TeamId == _team.TeamId && e.Action == AuditActions.SecretChecked).ToListAsync());
        Assert.Equal(7, events.Count);
        Assert.All(events, e => Assert.Equal(("system", "scheduler", (Guid?)null), (e.ActorType, e.Via, e.ActorId)));
    }

    private async Task<Guid> ConnectAsync(TeamActor owner, string vaultType)
    {
        var response = await _portal.CreateClient(_team.OwnerKey)
            .PostJsonAsync($"/v1/teams/{owner.TeamId}/vault-connections", ProviderFakes.ValidBody(vaultType, vaultType));
        return Guid.Parse((string)(await response.AssertStatusAsync(System.Net.HttpStatusCode.Created))["id"]!);
    }

    private async Task<Guid> DirectAsync(TeamActor owner, string name, string key) => await CreateAsync(owner, new CreateSecretRequest
    {
        Name = name, SecretType = "b2", AuthMethod = "b2_application_key",
        Credentials = new() { ["application_key_id"] = KeyId, ["application_key"] = key },
    });

    private async Task<Guid> VaultAsync(TeamActor owner, string name, Guid connection, string keyIdReference, string keyReference) =>
        await CreateAsync(owner, new CreateSecretRequest
        {
            Name = name, SecretType = "b2", AuthMethod = "b2_application_key", VaultConnectionId = connection.ToString(),
            FieldMappings =
            [
                new() { FieldName = "application_key_id", Reference = keyIdReference },
                new() { FieldName = "application_key", Reference = keyReference },
            ],
        });

    private async Task<Guid> CreateAsync(TeamActor owner, CreateSecretRequest request)
    {
        var result = await _portal.WithAsync<SecretService, Result<SecretDetails>>(s => s.CreateAsync(owner, request));
        Assert.True(result.IsSuccess, result.Problem?.Message);
        return result.Value!.Secret.Id;
    }

    public sealed class InFlight
    {
        private int _now;
        private int _max;
        private int _total;

        public int Max => _max;
        public int Total => _total;

        public void Enter()
        {
            Interlocked.Increment(ref _total);
            var now = Interlocked.Increment(ref _now);
            int max;
            while (now > (max = _max) && Interlocked.CompareExchange(ref _max, now, max) != max)
            {
            }
        }

        public void Leave() => Interlocked.Decrement(ref _now);
    }

    /// <summary>The real checker, counting how many checks run at once; each holds long enough for the others to start.</summary>
    private sealed class CountingChecker(SecretChecker inner, InFlight inFlight) : ISecretChecker
    {
        public async Task<SecretCheck> CheckAsync(Secret secret, CheckTarget target, CancellationToken ct = default)
        {
            inFlight.Enter();
            try
            {
                await Task.Delay(150, ct);
                return await inner.CheckAsync(secret, target, ct);
            }
            finally
            {
                inFlight.Leave();
            }
        }

        public Task<SecretCheck> CheckDraftAsync(SecretDraft draft, CheckTarget target, CancellationToken ct = default) =>
            inner.CheckDraftAsync(draft, target, ct);
    }
}
