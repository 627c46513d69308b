using System.Diagnostics;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.VaultProviders;

public sealed class DopplerClientTests : IAsyncLifetime
{
    private const string Token = "dp.st.dev.AcceptedToken0123456789";
    private const string ForbiddenToken = "dp.st.dev.ForbiddenToken0123456789";
    private FakeDopplerServer _fake = null!;
    private ProviderTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDopplerServer.StartAsync();
        _fake.AcceptToken(Token, "backend", "dev", "prd").ForbidToken(ForbiddenToken);
        _host = new ProviderTestHost(dopplerUrl: _fake.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
    }

    private Task<ProviderCheck> VerifyAsync(string token, string project = "backend", string config = "dev") =>
        _host.Clients.Get(VaultType.Doppler).VerifyAsync(new VaultConnectionSettings(Project: project, Config: config),
            new Dictionary<string, string> { ["access_token"] = token });

    public static TheoryData<string, string, string, ProviderOutcome, string?> Cases => new()
    {
        { Token, "backend", "dev", ProviderOutcome.Ok, null },
        { Token, "backend", "prd", ProviderOutcome.Ok, null },
        { "dp.st.dev.UnknownToken", "backend", "dev", ProviderOutcome.Rejected, "Invalid Auth token" },
        { ForbiddenToken, "backend", "dev", ProviderOutcome.Rejected, "does not have access" },
        { Token, "frontend", "dev", ProviderOutcome.Rejected, "Could not find requested project" },
        { Token, "backend", "stg", ProviderOutcome.Rejected, "Could not find requested config" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task VerifyAsync_ProviderAnswer_MapsToOutcome(string token, string project, string config, ProviderOutcome expected, string? messagePart)
    {
        var check = await VerifyAsync(token, project, config);

        Assert.Equal(expected, check.Outcome);
        if (messagePart is not null) Assert.Contains(messagePart, check.Message);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/v3/configs/config", request.Path);
        Assert.True(request.HadAuthorization);
        Assert.Contains($"project={project}", request.Query);
        Assert.Contains($"config={config}", request.Query);
    }

    [Fact]
    public async Task VerifyAsync_Unauthorized_MessageNamesStatusAndIsNotRetried()
    {
        var check = await VerifyAsync("dp.st.dev.UnknownToken");

        Assert.Equal(ProviderOutcome.Rejected, check.Outcome);
        Assert.Equal("Doppler rejected the access token (HTTP 401): Invalid Auth token", check.Message);
        Assert.Single(_fake.Requests);
    }

    [Theory]
    [InlineData("", "backend", "dev")]
    [InlineData(Token, "", "dev")]
    [InlineData(Token, "backend", "")]
    public async Task VerifyAsync_MissingInput_RejectedWithoutCallingDoppler(string token, string project, string config)
    {
        var check = await VerifyAsync(token, project, config);

        Assert.Equal(ProviderOutcome.Rejected, check.Outcome);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task VerifyAsync_TooManyRequestsWithRetryAfter_WaitsAndRetriesThenOk()
    {
        _fake.RetryAfterSeconds = 1;
        _fake.FailNext(1, FakeFailure.TooManyRequests);

        var check = await VerifyAsync(Token);

        Assert.Equal(ProviderOutcome.Ok, check.Outcome);
        var requests = _fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(429, requests[0].StatusCode);
        Assert.Equal(200, requests[1].StatusCode);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900),
            $"waited only {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task VerifyAsync_RetryAfterBeyondCap_WaitsOnlyTheCapThenOk()
    {
        _fake.RetryAfterSeconds = 60;
        _fake.FailNext(1, FakeFailure.TooManyRequests);
        _host.Dispose();
        _host = new ProviderTestHost(dopplerUrl: _fake.BaseUrl,
            overrides: new Dictionary<string, string?> { ["Vaults:MaxRetryAfterSeconds"] = "1", ["Vaults:TimeoutSeconds"] = "10" });

        var check = await VerifyAsync(Token);

        Assert.Equal(ProviderOutcome.Ok, check.Outcome);
        var requests = _fake.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.StatusCode));
        Assert.InRange((requests[1].ReceivedAt - requests[0].ReceivedAt).TotalSeconds, 0.9, 8);
    }

    [Theory]
    [InlineData(FakeFailure.ServerError, 500)]
    [InlineData(FakeFailure.ServiceUnavailable, 503)]
    public async Task VerifyAsync_ServerErrorPersists_UnreachableAfterRetries(FakeFailure failure, int status)
    {
        _fake.FailNext(100, failure);

        var check = await VerifyAsync(Token);

        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains($"HTTP {status}", check.Message);
        Assert.Equal(1 + ProviderTestHost.MaxRetries, _fake.Requests.Count);
    }

    [Fact]
    public async Task VerifyAsync_MaxRetriesZero_ServerErrorNotRetried()
    {
        _fake.FailNext(1, FakeFailure.ServerError);
        _host.Dispose();
        _host = new ProviderTestHost(dopplerUrl: _fake.BaseUrl, overrides: new Dictionary<string, string?> { ["Vaults:MaxRetries"] = "0" });

        var check = await VerifyAsync(Token);

        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Equal([500], _fake.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task VerifyAsync_ServerErrorOnce_RetriesThenOk()
    {
        _fake.FailNext(1, FakeFailure.ServerError);

        var check = await VerifyAsync(Token);

        Assert.Equal(ProviderOutcome.Ok, check.Outcome);
        Assert.Equal([500, 200], _fake.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task VerifyAsync_ProviderHangs_UnreachableWithinTimeouts()
    {
        _fake.FailNext(100, FakeFailure.Hang);
        _host.Dispose();
        _host = new ProviderTestHost(dopplerUrl: _fake.BaseUrl, overrides: ProviderTestHost.ShortTimeouts);
        var stopwatch = Stopwatch.StartNew();

        var check = await VerifyAsync(Token);

        stopwatch.Stop();
        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains("did not answer in time", check.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(ProviderTestHost.ShortTotalTimeoutSeconds + 2), $"took {stopwatch.Elapsed}");
        Assert.InRange(_fake.Requests.Count, 2, 1 + ProviderTestHost.MaxRetries); // attempt timeouts were retried
    }

    [Fact]
    public async Task VerifyAsync_NothingListening_Unreachable()
    {
        var baseUrl = _fake.BaseUrl;
        await _fake.DisposeAsync();
        using var host = new ProviderTestHost(dopplerUrl: baseUrl);

        var check = await host.Clients.Get(VaultType.Doppler).VerifyAsync(new VaultConnectionSettings(Project: "backend", Config: "dev"),
            new Dictionary<string, string> { ["access_token"] = Token });

        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains("could not be reached", check.Message);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.invalid")]
    public async Task VerifyAsync_InvalidBaseUrl_Unreachable(string baseUrl)
    {
        using var host = new ProviderTestHost(dopplerUrl: baseUrl);

        var check = await host.Clients.Get(VaultType.Doppler).VerifyAsync(new VaultConnectionSettings(Project: "backend", Config: "dev"),
            new Dictionary<string, string> { ["access_token"] = Token });

        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains("base URL is invalid", check.Message);
    }

    [Fact]
    public async Task VerifyAsync_CallerCancels_ThrowsOperationCanceled()
    {
        _fake.FailNext(100, FakeFailure.Hang);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _host.Clients.Get(VaultType.Doppler).VerifyAsync(new VaultConnectionSettings(Project: "backend", Config: "dev"),
                new Dictionary<string, string> { ["access_token"] = Token }, cts.Token));
    }

    [Fact]
    public async Task SecretsEndpoint_AcceptedToken_ReturnsConfiguredSecrets()
    {
        _fake.SetSecrets("backend", "dev", new Dictionary<string, string> { ["DB_URL"] = "postgres://x" });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_fake.BaseUrl}/v3/configs/config/secrets?project=backend&config=dev");
        request.Headers.Authorization = new("Bearer", Token);

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode);
        Assert.Contains("\"DB_URL\":{\"raw\":\"postgres://x\"", body);
    }
}
