using Dataraven.Core.Checks;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>
/// A team with one connection of each vault type (Doppler, Infisical and op fakes) whose vaults hold a B2 key that the B2
/// fake accepts, so a vault secret's check goes all the way: reference reads, then the storage probe.
/// </summary>
public sealed class VaultSecretsScenario : IAsyncDisposable
{
    public const string KeyId = "0051234567890ab0000000077";
    public const string Key = "K005vaultHeldApplicationKey0001";
    public const string DopplerToken = "dp.st.prd.scenarioDopplerToken0123456789";
    public const string InfisicalClientId = "8d5a4f0e-1111-4c1e-9a61-0d5d3e0a9b01";
    public const string InfisicalSecret = "infisical-client-secret-for-scenario";
    public const string InfisicalProject = "2c9f8f3e-2222-4c1e-9a61-0d5d3e0a9b02";

    private VaultSecretsScenario(FakeDopplerServer doppler, FakeInfisicalServer infisical, FakeOpCli op, FakeB2Server b2)
    {
        Doppler = doppler;
        Infisical = infisical;
        Op = op;
        B2 = b2;
    }

    public FakeDopplerServer Doppler { get; }
    public FakeInfisicalServer Infisical { get; }
    public FakeOpCli Op { get; }
    public FakeB2Server B2 { get; }
    public CheckerHarness Harness { get; private set; } = null!;
    public Guid TeamId { get; } = Guid.NewGuid();
    public Dictionary<VaultType, Guid> Connections { get; } = [];

    /// <summary>The references that hold the key id and the key, by vault type.</summary>
    public static readonly Dictionary<VaultType, (string KeyId, string Key)> References = new()
    {
        [VaultType.Doppler] = ("B2_KEY_ID", "B2_KEY"),
        [VaultType.Infisical] = ("B2_KEY_ID", "B2_KEY"),
        [VaultType.OnePassword] = ("op://DevOps/B2/key_id", "op://DevOps/B2/key"),
    };

    public static async Task<VaultSecretsScenario> StartAsync(Dictionary<string, string?>? settings = null,
        string keyId = KeyId, string key = Key)
    {
        var doppler = (await FakeDopplerServer.StartAsync()).AcceptToken(DopplerToken, "backend", "prd")
            .SetSecrets("backend", "prd", new Dictionary<string, string> { ["B2_KEY_ID"] = keyId, ["B2_KEY"] = key });
        var infisical = (await FakeInfisicalServer.StartAsync()).AddClient(InfisicalClientId, InfisicalSecret, InfisicalProject, "prod")
            .SetSecrets(InfisicalProject, "prod", new Dictionary<string, string> { ["B2_KEY_ID"] = keyId, ["B2_KEY"] = key });
        var op = FakeOpCli.Create().SetReference("op://DevOps/B2/key_id", keyId).SetReference("op://DevOps/B2/key", key);
        var b2 = (await FakeB2Server.StartAsync()).AddKey(KeyId, Key, ["listFiles", "readFiles", "writeFiles"]);
        var scenario = new VaultSecretsScenario(doppler, infisical, op, b2);

        var values = new Dictionary<string, string?>
        {
            ["Vaults:Doppler:BaseUrl"] = doppler.BaseUrl,
            ["Vaults:Infisical:BaseUrl"] = infisical.BaseUrl,
            ["Vaults:OnePassword:CliPath"] = op.CliPath,
            ["Storage:B2:BaseUrl"] = b2.BaseUrl,
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        scenario.Harness = await CheckerHarness.StartAsync(values);
        await scenario.SeedAsync();
        return scenario;
    }

    private async Task SeedAsync()
    {
        await Harness.WithCheckerAsync(async (_, db) =>
        {
            db.Teams.Add(new Team { Id = TeamId, Name = "Checks", Tier = "pro", CreatedAt = DateTime.UtcNow });
            Add(db, VaultType.Doppler, c => { c.Project = "backend"; c.Config = "prd"; });
            Add(db, VaultType.Infisical, c => { c.ProjectId = InfisicalProject; c.Environment = "prod"; c.SecretPath = "/"; });
            Add(db, VaultType.OnePassword, _ => { });
            await db.SaveChangesAsync();
            return 0;
        });
        await Harness.Store.PutAsync(CredentialKey.ForVaultConnection(TeamId, Connections[VaultType.Doppler]),
            new Dictionary<string, string> { ["access_token"] = DopplerToken });
        await Harness.Store.PutAsync(CredentialKey.ForVaultConnection(TeamId, Connections[VaultType.Infisical]),
            new Dictionary<string, string> { ["client_id"] = InfisicalClientId, ["client_secret"] = InfisicalSecret });
        await Harness.Store.PutAsync(CredentialKey.ForVaultConnection(TeamId, Connections[VaultType.OnePassword]),
            new Dictionary<string, string> { ["access_token"] = FakeOpCli.DefaultAcceptedToken });
    }

    private void Add(PortalDbContext db, VaultType type, Action<VaultConnection> settings)
    {
        var connection = new VaultConnection
        {
            Id = Guid.NewGuid(),
            TeamId = TeamId,
            Name = type.ToString(),
            NameNormalized = type.ToString().ToLowerInvariant(),
            VaultType = type,
            Status = VaultConnectionStatus.Verified,
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        settings(connection);
        db.VaultConnections.Add(connection);
        Connections[type] = connection.Id;
    }

    /// <summary>A saved B2 secret that maps its fields to <paramref name="keyIdReference"/> and <paramref name="keyReference"/>.</summary>
    public Secret VaultSecret(VaultType type, string? keyIdReference = null, string? keyReference = null) => new()
    {
        Id = Guid.NewGuid(),
        TeamId = TeamId,
        Name = "b2",
        NameNormalized = "b2",
        SecretType = "b2",
        AuthMethod = "b2_application_key",
        VaultConnectionId = Connections[type],
        FieldMappings =
        [
            new FieldMapping { FieldName = "application_key_id", Reference = keyIdReference ?? References[type].KeyId },
            new FieldMapping { FieldName = "application_key", Reference = keyReference ?? References[type].Key },
        ],
    };

    public Task<SecretCheck> CheckAsync(Secret secret) => Harness.WithCheckerAsync((checker, _) => checker.CheckAsync(secret, CheckTarget.None));

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Doppler.DisposeAsync();
        await Infisical.DisposeAsync();
        await B2.DisposeAsync();
        Op.Dispose();
    }
}
