using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Infrastructure;

/// <summary>
/// Fake Doppler and Infisical servers and a fake <c>op</c> CLI with one set of valid credentials each,
/// plus the portal settings that point at them and valid create bodies per vault type.
/// </summary>
public sealed class ProviderFakes : IAsyncDisposable
{
    public const string DopplerToken = "dp.st.dev.fakeValidDopplerToken0001";
    public const string DopplerProject = "backend";
    public const string DopplerConfig = "prd";
    public const string OnePasswordToken = FakeOpCli.DefaultAcceptedToken;
    public const string InfisicalClientId = "7b0a4c1e-8d52-4c3f-9a61-2f5e9d8c1b11";
    public const string InfisicalClientSecret = "fake-infisical-client-secret-0001";
    public const string InfisicalProjectId = "0f9e8d7c-6b5a-4321-8fed-cba987654321";
    public const string InfisicalEnvironment = "prod";

    private ProviderFakes(FakeDopplerServer doppler, FakeInfisicalServer infisical, FakeOpCli op)
    {
        Doppler = doppler;
        Infisical = infisical;
        Op = op;
    }

    public FakeDopplerServer Doppler { get; }
    public FakeInfisicalServer Infisical { get; }
    public FakeOpCli Op { get; }

    public static async Task<ProviderFakes> StartAsync()
    {
        var doppler = await FakeDopplerServer.StartAsync();
        doppler.AcceptToken(DopplerToken, DopplerProject, DopplerConfig, "dev");
        var infisical = await FakeInfisicalServer.StartAsync();
        infisical.AddClient(InfisicalClientId, InfisicalClientSecret, InfisicalProjectId, InfisicalEnvironment, "dev");
        return new ProviderFakes(doppler, infisical, FakeOpCli.Create(OnePasswordToken));
    }

    /// <summary>Points the portal at the fakes, with short timeouts and retry delays.</summary>
    public void Configure(TestPortalOptions options)
    {
        options.Settings["Vaults:Doppler:BaseUrl"] = Doppler.BaseUrl;
        options.Settings["Vaults:Infisical:BaseUrl"] = Infisical.BaseUrl;
        options.Settings["Vaults:OnePassword:CliPath"] = Op.CliPath;
        options.Settings["Vaults:OnePassword:TimeoutSeconds"] = "5";
        options.Settings["Vaults:AttemptTimeoutSeconds"] = "2";
        options.Settings["Vaults:TimeoutSeconds"] = "6";
        options.Settings["Vaults:MaxRetries"] = "1";
        options.Settings["Vaults:RetryBaseDelaySeconds"] = "0.05";
        options.Settings["Vaults:MaxRetryAfterSeconds"] = "1";
    }

    public static readonly string[] VaultTypes = ["onepassword", "doppler", "infisical"];

    /// <summary>A valid create body for <paramref name="vaultType"/> that the fakes accept.</summary>
    public static Dictionary<string, object?> ValidBody(string vaultType, string name) => vaultType switch
    {
        "onepassword" => new() { ["name"] = name, ["vault_type"] = "onepassword", ["access_token"] = OnePasswordToken },
        "doppler" => new()
        {
            ["name"] = name, ["vault_type"] = "doppler", ["access_token"] = DopplerToken,
            ["project"] = DopplerProject, ["config"] = DopplerConfig,
        },
        "infisical" => new()
        {
            ["name"] = name, ["vault_type"] = "infisical", ["client_id"] = InfisicalClientId,
            ["client_secret"] = InfisicalClientSecret, ["project_id"] = InfisicalProjectId, ["environment"] = InfisicalEnvironment,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(vaultType)),
    };

    /// <summary>A body the provider refuses (syntactically valid, wrong credentials).</summary>
    public static Dictionary<string, object?> RejectedBody(string vaultType, string name)
    {
        var body = ValidBody(vaultType, name);
        if (vaultType == "infisical")
        {
            body["client_secret"] = "wrong-secret";
        }
        else
        {
            body["access_token"] = vaultType == "doppler" ? "dp.st.dev.wrongToken" : "ops_wrongToken";
        }
        return body;
    }

    /// <summary>The credential values of a body (what must never come back).</summary>
    public static IEnumerable<string> CredentialValues(Dictionary<string, object?> body) =>
        new[] { "access_token", "client_id", "client_secret" }.Where(body.ContainsKey).Select(k => (string)body[k]!);

    public async ValueTask DisposeAsync()
    {
        await Doppler.DisposeAsync();
        await Infisical.DisposeAsync();
        Op.Dispose();
    }
}
