using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.VaultProviders;

/// <summary>
/// A provider base URL that answers with a redirect must not send the credential on to the redirect's target:
/// the call ends there as unreachable, and the second origin (a fake that would accept the credential) sees nothing.
/// </summary>
public sealed class ProviderRedirectTests
{
    private const string DopplerToken = "dp.st.prd.RedirectCanary7Kq2Wz9";
    private const string ClientId = "3f6c2a9e-1b4d-4e8f-9a7c-5d2e8b1f4c60";
    private const string ClientSecret = "redirect-canary-client-secret-Zx81";

    public static TheoryData<VaultType, int> Cases()
    {
        var cases = new TheoryData<VaultType, int>();
        foreach (var type in new[] { VaultType.Doppler, VaultType.Infisical })
        {
            foreach (var status in new[] { 301, 302, 303, 307, 308 }) cases.Add(type, status);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task VerifyAsync_BaseUrlRedirects_UnreachableAndCredentialNeverReachesSecondOrigin(VaultType type, int status)
    {
        await using var first = await StartAsync(type);
        await using var second = await StartAsync(type);
        first.RedirectStatus = status;
        first.RedirectTo = second.BaseUrl;
        first.FailNext(1, FakeFailure.Redirect);
        using var host = type == VaultType.Doppler
            ? new ProviderTestHost(dopplerUrl: first.BaseUrl)
            : new ProviderTestHost(infisicalUrl: first.BaseUrl);

        var check = await host.Clients.Get(type).VerifyAsync(
            new VaultConnectionSettings(Project: "backend", Config: "prd", ProjectId: "proj", Environment: "prod"),
            new Dictionary<string, string> { ["access_token"] = DopplerToken, ["client_id"] = ClientId, ["client_secret"] = ClientSecret });

        Assert.Empty(second.Requests);
        Assert.Equal(ProviderOutcome.Unreachable, check.Outcome);
        Assert.Contains($"redirect (HTTP {status})", check.Message);
        Assert.Equal([status], first.Requests.Select(r => r.StatusCode));
    }

    private static async Task<FakeProviderServer> StartAsync(VaultType type) => type switch
    {
        VaultType.Doppler => (await FakeDopplerServer.StartAsync()).AcceptToken(DopplerToken, "backend", "prd"),
        VaultType.Infisical => (await FakeInfisicalServer.StartAsync()).AddClient(ClientId, ClientSecret, "proj", "prod"),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
