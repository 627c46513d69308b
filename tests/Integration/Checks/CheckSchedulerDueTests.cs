using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>
/// Which checks a pass starts: only what is due (older than the interval, or never checked), oldest first, a share of
/// it per pass; and the hosted service runs its first pass one pass period after start, not one interval.
/// </summary>
public sealed class CheckSchedulerDueTests : IAsyncLifetime
{
    private const string KeyId = "0051234567890ab0000000077";
    private const string GoodKey = "K005schedulerDueApplicationKey1";
    private const int Concurrency = 2;
    private const int IntervalMinutes = 60;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ProviderFakes _fakes = null!;
    private FakeB2Server _b2 = null!;
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        _b2 = (await FakeB2Server.StartAsync()).AddKey(KeyId, GoodKey, ["listFiles"]);
        var options = new TestPortalOptions();
        _fakes.Configure(options);
        options.Settings["Storage:B2:BaseUrl"] = _b2.BaseUrl;
        options.Settings["Checks:Concurrency"] = Concurrency.ToString();
        options.Settings["Checks:IntervalMinutes"] = IntervalMinutes.ToString();
        options.Services = services => services.AddSingleton<TimeProvider>(_clock);
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync("Due", "pro");
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _b2.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    [Fact]
    public void BatchSize_IsTheShareThatChecksEverythingOncePerInterval_NeverBelowConcurrency()
    {
        var scheduler = _portal.Services.GetRequiredService<CheckScheduler>();
        Assert.Equal(Concurrency, scheduler.BatchSize(0));
        Assert.Equal(Concurrency, scheduler.BatchSize(IntervalMinutes));
        Assert.Equal(5, scheduler.BatchSize(4 * IntervalMinutes + 1));
    }

    [Fact]
    public async Task Passes_CheckWhatIsDue_OldestFirst_ABatchAtATime_ThenNothingUntilTheIntervalHasPassed()
    {
        var scheduler = _portal.Services.GetRequiredService<CheckScheduler>();
        var owner = new TeamActor(_team.TeamId, _team.OwnerId, TeamRole.Owner);
        var connection = await ConnectAsync();
        var secrets = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            secrets.Add(await DirectAsync(owner, $"due-{i}"));
        }

        // The connection was verified when saved; the five secrets were never checked: due, two per pass.
        Assert.Equal(new CheckPass(0, 2, 0, 0, 0), await scheduler.RunOnceAsync());
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(new CheckPass(0, 2, 0, 0, 0), await scheduler.RunOnceAsync());
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(new CheckPass(0, 1, 0, 0, 0), await scheduler.RunOnceAsync());
        Assert.Equal(0, (await scheduler.RunOnceAsync()).Checked);
        Assert.All((await CheckedAtAsync()).Values, at => Assert.NotNull(at));

        // Just before the interval has passed for the oldest (the connection), nothing is due; at the interval it is,
        // and it goes first, then the two secrets checked in the first pass.
        _clock.Advance(TimeSpan.FromMinutes(IntervalMinutes) - TimeSpan.FromSeconds(21));
        Assert.Equal(0, (await scheduler.RunOnceAsync()).Checked);
        _clock.Advance(TimeSpan.FromSeconds(6));
        var before = await CheckedAtAsync();
        Assert.Equal(new CheckPass(1, 1, 0, 0, 0), await scheduler.RunOnceAsync());
        Assert.Equal(new CheckPass(0, 1, 0, 0, 0), await scheduler.RunOnceAsync());
        Assert.Equal(0, (await scheduler.RunOnceAsync()).Checked);
        var after = await CheckedAtAsync();
        var firstPass = secrets.Where(id => before[id] == before.Values.Min()).ToList();
        Assert.Equal(2, firstPass.Count);
        Assert.All(firstPass, id => Assert.NotEqual(before[id], after[id]));
        Assert.All(secrets.Except(firstPass), id => Assert.Equal(before[id], after[id]));
        var verifiedAt = await _portal.WithAsync<PortalDbContext, DateTime?>(db =>
            db.VaultConnections.Where(c => c.Id == connection).Select(c => c.LastVerifiedAt).SingleAsync());
        Assert.Equal(Clock.UtcNow(_clock), verifiedAt);
    }

    [Fact]
    public async Task HostedService_FirstPassRunsOnePassPeriodAfterStart()
    {
        var owner = new TeamActor(_team.TeamId, _team.OwnerId, TeamRole.Owner);
        var secret = await DirectAsync(owner, "hosted");
        // The portal's own scheduler is off in tests; this one is the same service, switched on.
        var hosted = ActivatorUtilities.CreateInstance<CheckScheduler>(_portal.Services,
            Options.Create(new ChecksOptions { SchedulerEnabled = true, IntervalMinutes = IntervalMinutes, Concurrency = Concurrency }));
        await hosted.StartAsync(CancellationToken.None);
        try
        {
            Assert.Null((await CheckedAtAsync())[secret]);
            _clock.Advance(CheckScheduler.PassPeriod);

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await CheckedAtAsync())[secret] is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the hosted scheduler did not check the secret one pass period after start");
                await Task.Delay(100);
                // The service may have set its timer only after the first advance (it starts in the background):
                // the next period then comes from here. Later passes find nothing due (checked within the interval).
                _clock.Advance(CheckScheduler.PassPeriod);
            }
        }
        finally
        {
            await hosted.StopAsync(CancellationToken.None);
        }
        var health = await _portal.WithAsync<SecretHealthService, IReadOnlyDictionary<Guid, HealthView>>(s => s.TeamHealthAsync(_team.TeamId));
        Assert.Equal(CheckStatus.Ok, health[secret].Status);
    }

    private async Task<Dictionary<Guid, DateTime?>> CheckedAtAsync() =>
        await _portal.WithAsync<PortalDbContext, Dictionary<Guid, DateTime?>>(db =>
            db.Secrets.Where(s => s.TeamId == _team.TeamId).ToDictionaryAsync(s => s.Id, s => s.Health.CheckedAt));

    private async Task<Guid> ConnectAsync()
    {
        var response = await _portal.CreateClient(_team.OwnerKey)
            .PostJsonAsync($"/v1/teams/{_team.TeamId}/vault-connections", ProviderFakes.ValidBody("doppler", "doppler"));
        return Guid.Parse((string)(await response.AssertStatusAsync(System.Net.HttpStatusCode.Created))["id"]!);
    }

    private async Task<Guid> DirectAsync(TeamActor owner, string name)
    {
        var result = await _portal.WithAsync<SecretService, Result<SecretDetails>>(s => s.CreateAsync(owner, new CreateSecretRequest
        {
            Name = name, SecretType = "b2", AuthMethod = "b2_application_key",
            Credentials = new() { ["application_key_id"] = KeyId, ["application_key"] = GoodKey },
        }));
        Assert.True(result.IsSuccess, result.Problem?.Message);
        return result.Value!.Secret.Id;
    }
}
