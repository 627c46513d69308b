using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Unit.VaultConnections;

/// <summary>The wizard's "Save" right after a successful "Test connection" does not ask the provider again.</summary>
public sealed class RecentProviderChecksTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>, IAsyncLifetime
{
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        fixture.Fakes.Doppler.Reset();
        _team = await fixture.Portal.CreateTeamAsync("Acme", "pro");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private TeamActor Owner => new(_team.TeamId, _team.OwnerId, TeamRole.Owner);

    private static CreateVaultConnectionRequest Doppler(string name, string token = ProviderFakes.DopplerToken) => new()
    {
        Name = name, VaultType = "doppler", AccessToken = token, Project = ProviderFakes.DopplerProject, Config = ProviderFakes.DopplerConfig,
    };

    private Task<Result<ProviderCheck>> TestAsync(CreateVaultConnectionRequest r) =>
        fixture.Portal.WithAsync<VaultConnectionService, Result<ProviderCheck>>(s => s.TestAsync(Owner, r));

    private Task<Result<VaultConnectionDetails>> CreateAsync(CreateVaultConnectionRequest r) =>
        fixture.Portal.WithAsync<VaultConnectionService, Result<VaultConnectionDetails>>(s => s.CreateAsync(Owner, r));

    [Fact]
    public async Task Create_AfterASuccessfulTestOfTheSameInputs_DoesNotAskTheProviderAgain_AndIsVerified()
    {
        Assert.True((await TestAsync(Doppler("Main"))).Value!.Ok);
        var afterTest = fixture.Fakes.Doppler.Requests.Count;

        var created = await CreateAsync(Doppler("Main"));

        Assert.True(created.IsSuccess, created.Problem?.Message);
        Assert.Equal(VaultConnectionStatus.Verified, created.Value!.Connection.Status);
        Assert.Equal(afterTest, fixture.Fakes.Doppler.Requests.Count);
    }

    [Fact]
    public async Task Create_WithOtherCredentialsThanTheTest_AsksTheProvider()
    {
        const string other = "dp.st.prd.anotherAcceptedToken9";
        fixture.Fakes.Doppler.AcceptToken(other, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        Assert.True((await TestAsync(Doppler("Main"))).Value!.Ok);
        var afterTest = fixture.Fakes.Doppler.Requests.Count;

        var created = await CreateAsync(Doppler("Main", other));

        Assert.True(created.IsSuccess, created.Problem?.Message);
        Assert.True(fixture.Fakes.Doppler.Requests.Count > afterTest);
    }

    [Fact]
    public async Task Create_AfterARejectedTest_AsksTheProviderAndIsRefused()
    {
        const string unknown = "dp.st.prd.neverIssuedToken0003";
        Assert.False((await TestAsync(Doppler("Main", unknown))).Value!.Ok);
        var afterTest = fixture.Fakes.Doppler.Requests.Count;

        var created = await CreateAsync(Doppler("Main", unknown));

        Assert.IsType<ProviderRejectedProblem>(created.Problem);
        Assert.True(fixture.Fakes.Doppler.Requests.Count > afterTest);
    }

    [Fact]
    public async Task Create_InAnotherTeam_DoesNotReuseTheTest()
    {
        Assert.True((await TestAsync(Doppler("Main"))).Value!.Ok);
        var globex = await fixture.Portal.CreateTeamAsync("Globex", "pro");
        var afterTest = fixture.Fakes.Doppler.Requests.Count;

        var created = await fixture.Portal.WithAsync<VaultConnectionService, Result<VaultConnectionDetails>>(
            s => s.CreateAsync(new TeamActor(globex.TeamId, globex.OwnerId, TeamRole.Owner), Doppler("Main")));

        Assert.True(created.IsSuccess, created.Problem?.Message);
        Assert.True(fixture.Fakes.Doppler.Requests.Count > afterTest);
    }
}
