using System.Text.Json;
using Dataraven.Core.Checks;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>
/// Distinctive values go through every kind of check, passing and failing: none of them, nor a long piece of one, may appear
/// in a check (serialized or printed), a log line, or an exception.
/// </summary>
public sealed class CheckCanaryTests
{
    private const string CanaryKey = "CanaryVaultApplicationKeyQ7Zx";
    private const string CanaryKeyId = "CanaryVaultKeyIdW3Rt";

    [Fact]
    public async Task EveryKindOfCheck_NoValueInResultLogsOrExceptions()
    {
        await using var scenario = await VaultSecretsScenario.StartAsync(keyId: CanaryKeyId, key: CanaryKey);
        await using var google = await FakeGoogleTokenServer.StartAsync();
        var unknownGcsKey = google.CreateUnknownKeyJson();
        var gcsPrivateKey = JsonDocument.Parse(unknownGcsKey).RootElement.GetProperty("private_key").GetString()!;
        var gcsKeyBody = string.Concat(gcsPrivateKey.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));

        string[] canaries =
        [
            CanaryKey, CanaryKeyId, "CanaryDirectB2SecretM2Vp", "CanarySasSignatureN4Lq", "CanaryS3SecretAccessKeyP8Hd",
            Convert.ToBase64String(Enumerable.Range(100, 64).Select(i => (byte)i).ToArray()), gcsKeyBody[40..80],
        ];

        var checks = new List<SecretCheck>();
        Exception? thrown = null;
        try
        {
            // Vault secrets: found (the vault's values fail at the B2 fake: rejected), and one missing reference.
            foreach (var type in new[] { VaultType.Doppler, VaultType.Infisical, VaultType.OnePassword })
            {
                checks.Add(await scenario.CheckAsync(scenario.VaultSecret(type)));
            }
            checks.Add(await scenario.CheckAsync(scenario.VaultSecret(VaultType.Doppler, keyReference: "NOT_THERE")));

            var h = scenario.Harness;
            checks.Add(await h.CheckDraftAsync(CheckerHarness.Direct("b2", "b2_application_key",
                new() { ["application_key_id"] = "CanaryDirectB2KeyIdK1", ["application_key"] = "CanaryDirectB2SecretM2Vp" })));
            checks.Add(await h.CheckDraftAsync(CheckerHarness.Direct("azure_blob", "azure_sas_url",
                new() { ["sas_url"] = "https://acct.blob.core.windows.net/c?sv=2023-11-03&sr=c&sp=rl&se=2020-01-01T00:00:00Z&sig=CanarySasSignatureN4Lq" })));
            checks.Add(await h.CheckDraftAsync(CheckerHarness.Direct("azure_blob", "azure_account_key",
                new() { ["account_name"] = "acct", ["account_key"] = canaries[5] }),
                new CheckTarget(EndpointUrl: "http://127.0.0.1:9/acct")));
            checks.Add(await h.CheckDraftAsync(CheckerHarness.Direct("s3_compatible", "s3_compatible_access_key",
                new() { ["access_key_id"] = "CanaryS3KeyIdG5", ["secret_access_key"] = "CanaryS3SecretAccessKeyP8Hd" }),
                new CheckTarget("bucket", "http://127.0.0.1:9")));
            checks.Add(await h.CheckDraftAsync(CheckerHarness.Direct("gcs", "gcs_service_account", new() { ["service_account_json"] = unknownGcsKey })));
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        Assert.Null(thrown);
        // The scenario's B2 fake knows another key, so the vault-held canaries are rejected by the storage service.
        Assert.Contains(checks, c => c.Status == CheckStatus.Rejected && c.Fields.All(f => f.Status == CheckStatus.Ok));
        Assert.Contains(checks, c => c.Status == CheckStatus.Missing);
        Assert.Contains(checks, c => c.Status == CheckStatus.Expired);
        Assert.Contains(checks, c => c.Status == CheckStatus.Unreachable);

        var texts = checks.Select(c => JsonSerializer.Serialize(c)).Concat(checks.Select(c => c.ToString()))
            .Concat(checks.SelectMany(c => c.Fields.Select(f => f.ToString()))).Concat(scenario.Harness.Logs.Lines).ToList();
        Assert.NotEmpty(scenario.Harness.Logs.Lines);
        foreach (var canary in canaries)
        {
            foreach (var text in texts)
            {
                Assert.DoesNotContain(canary, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(canary[2..^2], text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
