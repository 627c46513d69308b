using Dataraven.Core.Checks;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Secrets;
using Dataraven.Core.VaultConnections;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>Vault secrets resolved through Doppler, Infisical and op fakes, then probed; saved direct secrets read from the store.</summary>
public sealed class VaultReferenceCheckTests : IAsyncLifetime
{
    private VaultSecretsScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await VaultSecretsScenario.StartAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    public static TheoryData<VaultType> VaultTypes => [VaultType.Doppler, VaultType.Infisical, VaultType.OnePassword];

    [Theory]
    [MemberData(nameof(VaultTypes))]
    public async Task VaultSecret_ReferencesFound_FieldsOkWithLengthAndFingerprint_StorageOk(VaultType type)
    {
        var check = await _scenario.CheckAsync(_scenario.VaultSecret(type));

        Assert.True(check.Status == CheckStatus.Ok, string.Join("; ", check.Fields.Select(f => f.Message)) + check.Storage.Message);
        var key = check.Fields.Single(f => f.FieldName == "application_key");
        Assert.Equal(VaultSecretsScenario.Key.Length, key.Length);
        Assert.Matches("^[0-9a-f]{8}$", key.Fingerprint!);
        Assert.Equal(new StorageCapabilities(true, true, true), check.Storage.Capabilities);
    }

    [Theory]
    [MemberData(nameof(VaultTypes))]
    public async Task VaultSecret_ReferenceMissing_FieldMissing_StorageUnchecked(VaultType type)
    {
        var missing = type == VaultType.OnePassword ? "op://DevOps/Nothing/key" : "NOT_THERE";

        var check = await _scenario.CheckAsync(_scenario.VaultSecret(type, keyReference: missing));

        Assert.Equal(CheckStatus.Missing, check.Status);
        Assert.Equal(CheckStatus.Missing, check.ErrorClass);
        Assert.Equal(CheckStatus.Ok, check.Fields.Single(f => f.FieldName == "application_key_id").Status);
        var field = check.Fields.Single(f => f.FieldName == "application_key");
        Assert.Equal(CheckStatus.Missing, field.Status);
        Assert.Null(field.Fingerprint);
        Assert.Equal(CheckStatus.Unchecked, check.Storage.Status);
    }

    [Fact]
    public async Task VaultSecret_SameValueThroughEveryVault_SameFingerprint_AndStableAcrossCheckers()
    {
        var fingerprints = new List<string>();
        foreach (var type in VaultTypes)
        {
            var check = await _scenario.CheckAsync(_scenario.VaultSecret(type));
            fingerprints.Add(check.Fields.Single(f => f.FieldName == "application_key").Fingerprint!);
        }

        // A new instance on the same store (a restart, another portal instance) reads the same key.
        var again = await new ValueFingerprints(_scenario.Harness.Store).FingerprintAsync(VaultSecretsScenario.Key);
        Assert.Single(fingerprints.Append(again).Distinct());
        Assert.NotEqual(again, await new ValueFingerprints(_scenario.Harness.Store).FingerprintAsync(VaultSecretsScenario.Key + "x"));
    }

    [Fact]
    public async Task VaultSecret_DopplerTokenRevoked_FieldsRejected()
    {
        await _scenario.Harness.Store.PutAsync(CredentialKey.ForVaultConnection(_scenario.TeamId, _scenario.Connections[VaultType.Doppler]),
            new Dictionary<string, string> { ["access_token"] = "dp.st.prd.revokedTokenRevokedToken" });

        var check = await _scenario.CheckAsync(_scenario.VaultSecret(VaultType.Doppler));

        Assert.Equal(CheckStatus.Rejected, check.Status);
        Assert.All(check.Fields, f => Assert.Equal(CheckStatus.Rejected, f.Status));
    }

    [Fact]
    public async Task Draft_ConnectionOfAnotherTeam_Misconfigured_NothingRead()
    {
        var check = await _scenario.Harness.CheckDraftAsync(new SecretDraft
        {
            TeamId = Guid.NewGuid(),
            SecretType = "b2",
            AuthMethod = "b2_application_key",
            VaultConnectionId = _scenario.Connections[VaultType.Doppler],
            FieldMappings = [new FieldMapping { FieldName = "application_key_id", Reference = "B2_KEY_ID" }, new FieldMapping { FieldName = "application_key", Reference = "B2_KEY" }],
        });

        Assert.Equal(CheckStatus.Misconfigured, check.Status);
        Assert.DoesNotContain(_scenario.Doppler.Requests, r => r.Path.StartsWith("/v3/configs/config/secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnePassword_BudgetUsedUp_RateLimited_WithoutRunningOp()
    {
        await using var scenario = await VaultSecretsScenario.StartAsync(new() { ["Checks:OnePasswordReadsPerHour"] = "3" });
        var secret = scenario.VaultSecret(VaultType.OnePassword);

        var first = await scenario.CheckAsync(secret);
        var runs = scenario.Op.Runs;
        var second = await scenario.CheckAsync(secret);

        Assert.Equal(CheckStatus.Ok, first.Status);
        Assert.Equal(CheckStatus.RateLimited, second.Status);
        Assert.All(second.Fields, f => Assert.Equal(CheckStatus.RateLimited, f.Status));
        Assert.Equal(runs, scenario.Op.Runs);
        Assert.Equal(2, scenario.Harness.Services.GetRequiredService<IProviderReadMeter>().ReadsThisHour(scenario.Connections[VaultType.OnePassword]));
    }

    [Fact]
    public async Task DirectSecret_ValuesFromTheStore_Ok_AndNothingStored_Missing()
    {
        var secret = new Secret
        {
            Id = Guid.NewGuid(), TeamId = _scenario.TeamId, Name = "b2", NameNormalized = "b2", SecretType = "b2", AuthMethod = "b2_application_key",
            CredentialFields = ["application_key_id", "application_key"],
        };
        var nothingStored = await _scenario.CheckAsync(secret);
        await _scenario.Harness.Store.PutAsync(CredentialKey.ForSecret(secret.TeamId, secret.Id), new Dictionary<string, string>
        {
            ["application_key_id"] = VaultSecretsScenario.KeyId,
            ["application_key"] = VaultSecretsScenario.Key,
        });

        var stored = await _scenario.CheckAsync(secret);

        Assert.Equal(CheckStatus.Missing, nothingStored.Status);
        Assert.Equal(CheckStatus.Ok, stored.Status);
        Assert.Equal(VaultSecretsScenario.Key.Length, stored.Fields.Single(f => f.FieldName == "application_key").Length);
    }
}
