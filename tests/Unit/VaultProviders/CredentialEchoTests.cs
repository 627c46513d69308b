using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.VaultProviders;

/// <summary>
/// Each provider refuses the credentials and echoes them back in every form (upper-cased, without prefix, truncated,
/// inside a longer word): neither the check's message nor any log line keeps 6 characters of them, in any case.
/// </summary>
public sealed class CredentialEchoTests
{
    public static TheoryData<VaultType, CredentialEcho> Cases()
    {
        var cases = new TheoryData<VaultType, CredentialEcho>();
        foreach (var type in new[] { VaultType.Doppler, VaultType.Infisical, VaultType.OnePassword })
        {
            foreach (var echo in CredentialEchoes.Leaking) cases.Add(type, echo);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task VerifyAsync_ProviderEchoesCredential_NoFragmentInMessageOrLog(VaultType type, CredentialEcho echo)
    {
        var credentials = type switch
        {
            VaultType.Doppler => new Dictionary<string, string> { ["access_token"] = "dp.st.prd.Kq7Wz2Lm9Xv4Rt8Yh3Jn" },
            VaultType.Infisical => new Dictionary<string, string>
            {
                ["client_id"] = "3f6c2a9e-1b4d-4e8f-9a7c-5d2e8b1f4c60", ["client_secret"] = "iNf1s1cal-Cl1ent-Secr3t-Qw8Zx",
            },
            _ => new Dictionary<string, string> { ["access_token"] = "ops_Wq9Zk2Lp7Xv4Rt8Yh3JnUu" },
        };
        await using var doppler = await FakeDopplerServer.StartAsync();
        await using var infisical = await FakeInfisicalServer.StartAsync();
        using var op = FakeOpCli.Create("ops_theOnlyAcceptedToken", FakeOpMode.Reject);
        doppler.EchoToken = echo;
        infisical.EchoCredentials = echo;
        op.EchoToken = echo;
        using var host = new ProviderTestHost(dopplerUrl: doppler.BaseUrl, infisicalUrl: infisical.BaseUrl, opCliPath: op.CliPath);

        var check = await host.Clients.Get(type).VerifyAsync(
            new VaultConnectionSettings(Project: "backend", Config: "prd", ProjectId: "proj", Environment: "prod"), credentials);

        Assert.Equal(ProviderOutcome.Rejected, check.Outcome);
        Assert.Contains("***", check.Message); // the provider did echo, and what it echoed was removed
        Assert.Null(CredentialEchoes.FindFragment(check.Message, credentials.Values));
        Assert.NotEmpty(host.Logs.Lines);
        Assert.Null(CredentialEchoes.FindFragment(string.Join("\n", host.Logs.Lines), credentials.Values));
    }
}
