using System.Diagnostics;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.VaultProviders;

public sealed class InfisicalClientTests : IAsyncLifetime
{
    private const string ClientId = "11111111-aaaa-bbbb-cccc-000000000001";
    private const string ClientSecret = "secret-0123456789abcdef0123456789abcdef";
    private const string ProjectId = "proj-backend";
    private FakeInfisicalServer _fake = null!;
    private ProviderTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeInfisicalServer.StartAsync();
        _fake.AddClient(ClientId, ClientSecret, ProjectId, "dev", "prod")
            .AddClient("other-client", "other-secret", "proj-other", "dev");
        _host = new ProviderTestHost(infisicalUrl: _fake.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
    }

    private Task<ProviderCheck> VerifyAsync(string clientId = ClientId, string clientSecret = ClientSecret, string projectId = ProjectId,
        string environment = "dev", string? path = null) =>
        _host.Clients.Get(VaultType.Infisical).VerifyAsync(
            new VaultConnectionSettings(ProjectId: projectId, Environment: environment, SecretPath: path),
            new Dictionary<string, string> { ["client_id"] = clientId, ["client_secret"] = clientSecret });

    public static TheoryData<string, string, string, string, ProviderOutcome, int, string?> Cases => new()
    {
        // clientId, clientSecret, projectId, environment, outcome, last status, message part
        { ClientId, ClientSecret, ProjectId, "dev", ProviderOutcome.Ok, 200, null },
        { ClientId, ClientSecret, ProjectId, "prod", ProviderOutcome.Ok, 200, null },
        { ClientId, "wrong-secret", ProjectId, "dev", ProviderOutcome.Rejected, 401, "Invalid credentials" },
        { "unknown-client", ClientSecret, ProjectId, "dev", ProviderOutcome.Rejected, 401, "Invalid credentials" },
        { ClientId, ClientSecret, "proj-other", "dev", ProviderOutcome.Rejected, 403, "not allowed" },
        { ClientId, ClientSecret, "proj-missing", "dev", ProviderOutcome.Rejected, 404, "Project with ID 'proj-missing' not found" },
        { ClientId, ClientSecret, ProjectId, "staging", ProviderOutcome.Rejected, 404, "Environment with slug 'staging'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task VerifyAsync_ProviderAnswer_MapsToOutcome(string clientId, string clientSecret, string projectId, string environment,
        ProviderOutcome expected, int lastStatus, string? messagePart)
    {
        var check = await VerifyAsync(clientId, clientSecret, projectId, environment);

        Assert.Equal(expected, check.Outcome);
        if (messagePart is not null) Assert.Contains(messagePart, check.Message);
        var requests = _fake.Requests;
        Assert.Equal("/api/v1/auth/universal-auth/login", requests[0].Path);
        Assert.False(requests[0].HadAuthorization);
        Assert.Equal(lastStatus, requests[^1].StatusCode);
        if (lastStatus != 401)
        {
            Assert.Equal(2, requests.Count);
            Assert.Equal("/api/v3/secrets/raw", requests[1].Path);
            Assert.True(requests[1].HadAuthorization);
            Assert.Contains($"workspaceId={projectId}", requests[1].Query);
            Assert.Contains($"environment={environment}", requests[1].Query);
            Assert.Contains("secretPath=%2F", requests[1].Query);
        }
        else
        {
            Assert.Single(requests);
        }
    }

    [Fact]
    public async Task VerifyAsync_SecretPath_SentEscaped()
    {
        var check = await VerifyAsync(path: "/app/api");

        Assert.Equal(ProviderOutcome.Ok, check.Outcome);
        Assert.Contains("secretPath=%2Fapp%2Fapi", _fake.Requests[^1].Query);
    }

    [Fact]
    public async Task VerifyAsync_MissingClientSecret_RejectedWithoutCalling()
    {
        var check = await _host.Clients.Get(VaultType.Infisical).VerifyAsync(
            new VaultConnectionSettings(ProjectId: ProjectId, Environment: "dev"),
            new Dictionary<string, string> { ["client_id"] = ClientId });

        Assert.Equal(ProviderOutcome.Rejected, check.Outcome);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task VerifyAsync_TooManyRequestsWithRetryAfter_WaitsAndRetriesThenOk()
    {
        _fake.RetryAfterSeconds = 1;
        _fake.FailNext(1, FakeFailure.TooManyRequests);

        var check = await VerifyAsync();

        Assert.Equal(ProviderOutcome.Ok, check.Outcome);
        var requests = _fake.Requests;
        Assert.Equal([429, 200, 200], requests.Select(r => r.StatusCode));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900),
            $"waited only {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task VerifyAsync_ServerErrorPersists_UnreachableAfterRetries()
    {
        _fake.FailNext(100, FakeFailure.ServerError);

        var check = await VerifyAsync();

        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains("HTTP 500", check.Message);
        Assert.Equal(1 + ProviderTestHost.MaxRetries, _fake.Requests.Count);
    }

    [Fact]
    public async Task VerifyAsync_ServerErrorOnSecretsRead_RetriedThenOk()
    {
        _fake.FailNext(1, FakeFailure.ServiceUnavailable, path: "/api/v3/secrets/raw");

        var check = await VerifyAsync();

        Assert.Equal(ProviderOutcome.Ok, check.Outcome);
        Assert.Equal(["/api/v1/auth/universal-auth/login", "/api/v3/secrets/raw", "/api/v3/secrets/raw"], _fake.Requests.Select(r => r.Path));
        Assert.Equal([200, 503, 200], _fake.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task VerifyAsync_ProviderHangs_UnreachableWithinTimeouts()
    {
        _fake.FailNext(100, FakeFailure.Hang);
        _host.Dispose();
        _host = new ProviderTestHost(infisicalUrl: _fake.BaseUrl, overrides: ProviderTestHost.ShortTimeouts);
        var stopwatch = Stopwatch.StartNew();

        var check = await VerifyAsync();

        stopwatch.Stop();
        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains("did not answer in time", check.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(ProviderTestHost.ShortTotalTimeoutSeconds + 2), $"took {stopwatch.Elapsed}");
    }
}
