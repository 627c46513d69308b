using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.VaultProviders;

/// <summary>
/// Recognisable credentials go through every outcome (ok, rejected with the provider echoing them back,
/// not found, 5xx, hang) and must appear in no <see cref="ProviderCheck.Message"/> and no log line.
/// </summary>
public sealed class CredentialCanaryTests
{
    private const string DopplerToken = "dp.st.dev.CANARYdoppler7f3a9c";
    private const string InfisicalClientId = "CANARYq7Wz2Lm9Xv4d2e"; // no English words: any 6 characters of a credential are removed
    private const string InfisicalClientSecret = "CANARYk8Rt3Yh6Jn8b1f";
    private const string OpToken = "ops_CANARYonepassword5e6d";

    // The hang step ends after 2.5 s overall instead of the default 5 s.
    private static Dictionary<string, string?> CanaryTimeouts => new() { ["Vaults:TimeoutSeconds"] = "2.5" };

    [Fact]
    public async Task VerifyAsync_AllDopplerOutcomes_CanaryTokenInNoMessageOrLog()
    {
        await using var fake = await FakeDopplerServer.StartAsync();
        fake.AcceptToken(DopplerToken, "backend", "dev");
        fake.EchoToken = CredentialEcho.Verbatim;
        using var host = new ProviderTestHost(dopplerUrl: fake.BaseUrl, overrides: CanaryTimeouts);
        var client = host.Clients.Get(VaultType.Doppler);
        var messages = new List<string?>();

        async Task Run(string token, string config)
        {
            var check = await client.VerifyAsync(new VaultConnectionSettings(Project: "backend", Config: config),
                new Dictionary<string, string> { ["access_token"] = token });
            messages.Add(check.Message);
        }

        await Run(DopplerToken, "dev");                         // ok
        await Run(DopplerToken + "X", "dev");                   // 401 echoing the token
        await Run(DopplerToken, "missing");                     // 404
        fake.FailNext(100, FakeFailure.ServerError);
        await Run(DopplerToken, "dev");                         // 500 after retries
        fake.Reset();
        fake.FailNext(100, FakeFailure.Hang);
        await Run(DopplerToken, "dev");                         // timeout

        Assert.Contains(messages, m => m is not null && m.Contains("Invalid Auth token: ***", StringComparison.Ordinal));
        AssertNoCanary(messages, host.Logs.Lines, "CANARY");
    }

    [Fact]
    public async Task VerifyAsync_AllInfisicalOutcomes_CanaryCredentialsInNoMessageOrLog()
    {
        await using var fake = await FakeInfisicalServer.StartAsync();
        fake.AddClient(InfisicalClientId, InfisicalClientSecret, "proj", "dev");
        fake.EchoCredentials = CredentialEcho.Verbatim;
        using var host = new ProviderTestHost(infisicalUrl: fake.BaseUrl, overrides: CanaryTimeouts);
        var client = host.Clients.Get(VaultType.Infisical);
        var messages = new List<string?>();

        async Task Run(string secret, string environment)
        {
            var check = await client.VerifyAsync(new VaultConnectionSettings(ProjectId: "proj", Environment: environment),
                new Dictionary<string, string> { ["client_id"] = InfisicalClientId, ["client_secret"] = secret });
            messages.Add(check.Message);
        }

        await Run(InfisicalClientSecret, "dev");                // ok
        await Run(InfisicalClientSecret + "X", "dev");          // 401 echoing id and secret
        await Run(InfisicalClientSecret, "missing");            // 404 on the secrets read
        fake.FailNext(100, FakeFailure.ServerError);
        await Run(InfisicalClientSecret, "dev");                // 500 after retries
        fake.Reset();
        fake.FailNext(100, FakeFailure.Hang);
        await Run(InfisicalClientSecret, "dev");                // timeout

        Assert.Contains(messages, m => m is not null && m.Contains("client *** with secret ***", StringComparison.Ordinal));
        AssertNoCanary(messages, host.Logs.Lines, "CANARY");
        Assert.NotEmpty(fake.IssuedAccessTokens);
        foreach (var accessToken in fake.IssuedAccessTokens)
        {
            AssertNoCanary(messages, host.Logs.Lines, accessToken);
        }
    }

    [Fact]
    public async Task VerifyAsync_AllOnePasswordOutcomes_CanaryTokenInNoMessageOrLog()
    {
        using var op = FakeOpCli.Create(OpToken);
        op.EchoToken = CredentialEcho.Verbatim;
        using var host = new ProviderTestHost(opCliPath: op.CliPath);
        var client = host.Clients.Get(VaultType.OnePassword);
        var messages = new List<string?>();

        async Task Run(string token)
        {
            var check = await client.VerifyAsync(new VaultConnectionSettings(), new Dictionary<string, string> { ["access_token"] = token });
            messages.Add(check.Message);
        }

        await Run(OpToken);                                     // ok
        op.Mode = FakeOpMode.Reject;
        await Run(OpToken);                                     // rejected, stderr echoes the token
        op.Mode = FakeOpMode.NetworkError;
        await Run(OpToken);                                     // unreachable
        op.Mode = FakeOpMode.Hang;
        await Run(OpToken);                                     // killed on timeout

        Assert.Contains(messages, m => m is not null && m.Contains("token '***'", StringComparison.Ordinal));
        AssertNoCanary(messages, host.Logs.Lines, "CANARY");
    }

    private static void AssertNoCanary(IEnumerable<string?> messages, IReadOnlyList<string> logLines, string canary)
    {
        Assert.NotEmpty(logLines);
        foreach (var message in messages)
        {
            Assert.False(message?.Contains(canary, StringComparison.Ordinal) ?? false, $"credential in message: {message}");
        }
        foreach (var line in logLines)
        {
            Assert.False(line.Contains(canary, StringComparison.Ordinal), $"credential in log line: {line}");
        }
    }
}
