using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dataraven.Tests.Unit.VaultProviders;

public sealed class OnePasswordBrowseTests
{
    private static readonly OnePasswordCliClient Client = new(new NoRunner(), NullLogger<OnePasswordCliClient>.Instance);

    [Theory]
    [InlineData("", null, 1)]
    [InlineData("", "DevOps", 0)]
    [InlineData("DevOps", null, 1)]
    [InlineData("devops", "DevOps", 1)]
    [InlineData("DevOps/AWS-Prod", null, OnePasswordCliClient.ItemGetReads)]
    public void PlanBrowse_CostsItsReads(string path, string? scope, int reads)
    {
        var plan = Client.PlanBrowse(new VaultConnectionSettings(Vault: scope), path);
        Assert.Null(plan.PathError);
        Assert.Equal(reads, plan.Reads);
    }

    [Theory]
    [InlineData("a/b/c", null)]
    [InlineData("a//b", null)]
    [InlineData("Shared", "DevOps")]
    public void PlanBrowse_RefusesOtherPaths(string path, string? scope) =>
        Assert.NotNull(Client.PlanBrowse(new VaultConnectionSettings(Vault: scope), path).PathError);

    [Fact]
    public void ParseBrowse_ItemGet_KeepsNamesAndDropsValues()
    {
        const string json = """
            {"id":"x1","title":"AWS-Prod","vault":{"id":"v1","name":"DevOps"},"category":"API_CREDENTIAL",
             "sections":[{"id":"s1","label":"Keys"}],
             "fields":[{"id":"username","type":"STRING","purpose":"USERNAME","label":"username","value":"CANARY-user","reference":"op://DevOps/AWS-Prod/username"},
                       {"id":"f2","section":{"id":"s1","label":"Keys"},"type":"CONCEALED","label":"secret","value":"CANARY-secret"},
                       {"id":"notesPlain","type":"STRING","purpose":"NOTES","label":"","value":"CANARY-notes"}]}
            """;
        var result = OnePasswordCliClient.ParseBrowse(json, ["DevOps", "AWS-Prod"]);
        Assert.True(result.Check.Ok);
        Assert.Equal(
        [
            new BrowseEntry("username", BrowseKinds.Field, "DevOps/AWS-Prod/username", "op://DevOps/AWS-Prod/username"),
            new BrowseEntry("secret", BrowseKinds.Field, "DevOps/AWS-Prod/Keys/secret", "op://DevOps/AWS-Prod/Keys/secret"),
        ], result.Entries);
        Assert.DoesNotContain("CANARY", string.Join("|", result.Entries));
    }

    [Fact]
    public void ParseBrowse_Garbage_IsUnreachableWithoutEchoingTheOutput()
    {
        var result = OnePasswordCliClient.ParseBrowse("CANARY not json", ["DevOps", "AWS-Prod"]);
        Assert.Equal(ProviderOutcome.Unreachable, result.Check.Outcome);
        Assert.DoesNotContain("CANARY", result.Check.Message);
    }

    [Fact]
    public void ClassifyVaultFailure_IsntAVault_IsRejectedNamingTheVault()
    {
        var check = OnePasswordCliClient.ClassifyVaultFailure(1,
            "[ERROR] 2025/01/01 12:00:00 \"Finance\" isn't a vault in this account. Specify the vault with its ID or name.", "Finance", []);
        Assert.Equal(ProviderOutcome.Rejected, check.Outcome);
        Assert.Contains("cannot access vault 'Finance'", check.Message);
    }

    private sealed class NoRunner : IOpProcessRunner
    {
        public Task<OpRun> RunAsync(string token, IReadOnlyList<string> arguments, IReadOnlyCollection<string?> secrets, CancellationToken ct) =>
            throw new InvalidOperationException("Planning runs nothing.");
    }
}
