using System.Net;
using System.Security.Cryptography;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Api;

/// <summary>A portal whose log lines are captured, in front of the provider fakes.</summary>
public sealed class LoggedApiPortal : ApiPortalFixture
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override Task ConfigureAsync(TestPortalOptions options)
    {
        options.Logger = Logs;
        return Task.CompletedTask;
    }
}

/// <summary>
/// The providers refuse the credentials and echo them back in every form. Neither the 422 body, nor the stored and
/// readable <c>last_verification_error</c>, nor any log line keeps 6 characters of a submitted credential, in any case.
/// </summary>
public sealed class CredentialEchoApiTests(LoggedApiPortal portal) : ApiTestBase(portal), IClassFixture<LoggedApiPortal>
{
    public static TheoryData<string, CredentialEcho> Cases()
    {
        var cases = new TheoryData<string, CredentialEcho>();
        foreach (var type in ProviderFakes.VaultTypes)
        {
            foreach (var echo in CredentialEchoes.Leaking) cases.Add(type, echo);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RefusedCredentialEchoed_NoFragmentInProblemStoredErrorOrLogs(string vaultType, CredentialEcho echo)
    {
        Fakes.Doppler.EchoToken = echo;
        Fakes.Infisical.EchoCredentials = echo;
        Fakes.Op.EchoToken = echo;
        var body = RefusedBody(vaultType);
        var credentials = ProviderFakes.CredentialValues(body).ToList();
        var texts = new List<string>();
        var linesBefore = portal.Logs.Lines.Count; // earlier tests' lines may hold their own (public) dp.st. prefix

        var refused = await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body);
        var problem = await refused.AssertStatusAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("provider_rejected", (string?)problem["code"]);
        texts.Add(problem.ToJsonString());

        body["verify"] = false;
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
        var verify = await (await Owner().PostAsync(Url(Acme, $"/vault-connections/{created["id"]}/verify"), null))
            .AssertStatusAsync(HttpStatusCode.OK);
        var read = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        texts.Add(verify.ToJsonString());
        texts.Add(read.ToJsonString());

        var stored = (string?)read["last_verification_error"];
        Assert.Equal("failing", (string?)read["status"]);
        Assert.Contains("***", stored); // the provider did echo; what it echoed was removed
        foreach (var text in texts)
        {
            Assert.Null(CredentialEchoes.FindFragment(text, credentials));
        }
        foreach (var line in portal.Logs.Lines.Skip(linesBefore))
        {
            Assert.True(CredentialEchoes.FindFragment(line, credentials) is null, $"credential fragment in log line: {line}");
        }
    }

    /// <summary>Credentials of this test alone, which no fake accepts.</summary>
    private static Dictionary<string, object?> RefusedBody(string vaultType)
    {
        var body = ProviderFakes.ValidBody(vaultType, $"echo-{Guid.NewGuid():N}");
        var random = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 24);
        switch (vaultType)
        {
            case "doppler":
                body["access_token"] = $"dp.st.prd.{random}";
                break;
            case "onepassword":
                body["access_token"] = $"ops_{random}";
                break;
            default:
                body["client_id"] = Guid.NewGuid().ToString();
                body["client_secret"] = random;
                break;
        }
        return body;
    }
}
