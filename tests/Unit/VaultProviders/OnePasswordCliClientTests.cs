using System.Diagnostics;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.VaultProviders;

public sealed class OnePasswordCliClientTests : IDisposable
{
    private const string Token = "ops_eyJQz7Wk2Lm9Xv4Rt8Yh0123456789"; // random-looking: the sanitizer removes any 6 characters of it, English words too
    private readonly FakeOpCli _op = FakeOpCli.Create(Token);
    private readonly ProviderTestHost _host;

    public OnePasswordCliClientTests()
    {
        _host = new ProviderTestHost(opCliPath: _op.CliPath);
    }

    public void Dispose()
    {
        _host.Dispose();
        _op.Dispose();
    }

    private Task<ProviderCheck> VerifyAsync(string token = Token) =>
        _host.Clients.Get(VaultType.OnePassword).VerifyAsync(new VaultConnectionSettings(),
            new Dictionary<string, string> { ["access_token"] = token });

    [Fact]
    public async Task VerifyAsync_AcceptedToken_Ok()
    {
        var check = await VerifyAsync();

        Assert.Equal(ProviderOutcome.Ok, check.Outcome);
        Assert.Equal(1, _op.Runs);
    }

    [Fact]
    public async Task VerifyAsync_AnyToken_TokenInEnvironmentNotInArgv()
    {
        await VerifyAsync();

        var argv = _op.ReadArgv();
        Assert.Equal(["vault", "list", "--format", "json"], argv);
        Assert.DoesNotContain(argv, a => a.Contains(Token, StringComparison.Ordinal));
        Assert.True(_op.TokenWasSetInEnvironment);
    }

    [Fact]
    public async Task VerifyAsync_InheritedOpVariables_NotPassedToCli()
    {
        // Connect settings or a token in the portal's own environment must not stand in for the presented token.
        Environment.SetEnvironmentVariable("OP_CONNECT_TOKEN", "inherited-connect-token");
        Environment.SetEnvironmentVariable("OP_CONNECT_HOST", "http://connect.invalid");
        try
        {
            var check = await VerifyAsync();

            Assert.Equal(ProviderOutcome.Ok, check.Outcome);
            Assert.Empty(_op.OtherOpVariables);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OP_CONNECT_TOKEN", null);
            Environment.SetEnvironmentVariable("OP_CONNECT_HOST", null);
        }
    }

    [Theory]
    [InlineData(FakeOpMode.Ok, "ops_someOtherToken")]
    [InlineData(FakeOpMode.Reject, Token)]
    public async Task VerifyAsync_RefusedToken_RejectedWithSanitizedMessage(FakeOpMode mode, string token)
    {
        _op.Mode = mode;

        var check = await VerifyAsync(token);

        Assert.Equal(ProviderOutcome.Rejected, check.Outcome);
        Assert.StartsWith("1Password rejected the service account token (op exit 1): ", check.Message);
        Assert.Contains("invalid service account token", check.Message);
        Assert.DoesNotContain("[ERROR]", check.Message);
        Assert.DoesNotContain("\n", check.Message);
    }

    [Fact]
    public async Task VerifyAsync_NetworkError_Unreachable()
    {
        _op.Mode = FakeOpMode.NetworkError;

        var check = await VerifyAsync();

        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains("no such host", check.Message);
    }

    [Theory]
    [InlineData("/nonexistent/dir/op")]
    [InlineData("op-cli-that-is-not-on-path-5f0c")]
    public async Task VerifyAsync_CliMissing_UnreachableWithInstallHint(string cliPath)
    {
        using var host = new ProviderTestHost(opCliPath: cliPath);

        var check = await host.Clients.Get(VaultType.OnePassword).VerifyAsync(new VaultConnectionSettings(),
            new Dictionary<string, string> { ["access_token"] = Token });

        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains("Install the 1Password CLI", check.Message);
        Assert.Contains("Vaults:OnePassword:CliPath", check.Message);
        Assert.DoesNotContain(Token, check.Message);
    }

    [Fact]
    public async Task VerifyAsync_CliHangs_UnreachableAndProcessKilled()
    {
        _op.Mode = FakeOpMode.Hang;
        var stopwatch = Stopwatch.StartNew();

        var check = await VerifyAsync();

        stopwatch.Stop();
        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains("did not finish", check.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        var pid = Assert.IsType<int>(_op.LastPid);
        Assert.False(IsRunning(pid), "the op process survived the timeout");
    }

    [Fact]
    public async Task VerifyAsync_EmptyToken_RejectedWithoutRunningCli()
    {
        var check = await VerifyAsync("");

        Assert.Equal(ProviderOutcome.Rejected, check.Outcome);
        Assert.Equal(0, _op.Runs);
    }

    public static TheoryData<string, ProviderOutcome> StderrCases => new()
    {
        { "[ERROR] 2025/01/01 12:00:00 authentication failed: unauthorized", ProviderOutcome.Rejected },
        { "[ERROR] 2025/01/01 12:00:00 invalid token", ProviderOutcome.Rejected },
        { "[ERROR] 2025/01/01 12:00:00 Service account token is expired", ProviderOutcome.Rejected },
        { "[ERROR] 2025/01/01 12:00:00 Get \"https://my.1password.com\": dial tcp: connection refused", ProviderOutcome.Unreachable },
        { "[ERROR] 2025/01/01 12:00:00 failed to sign in: i/o timeout", ProviderOutcome.Unreachable },
        { "[ERROR] 2025/01/01 12:00:00 something odd happened", ProviderOutcome.Unreachable },
    };

    [Theory]
    [MemberData(nameof(StderrCases))]
    public void Classify_Stderr_MapsToOutcome(string stderr, ProviderOutcome expected)
    {
        var check = OnePasswordCliClient.Classify(1, stderr, []);

        Assert.Equal(expected, check.Outcome);
        Assert.DoesNotContain("2025/01/01", check.Message);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
