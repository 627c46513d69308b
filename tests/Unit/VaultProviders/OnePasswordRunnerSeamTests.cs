using Dataraven.Core.Checks;
using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dataraven.Tests.Unit.VaultProviders;

/// <summary>The 1Password client only builds arguments and reads answers; the runner behind <see cref="IOpProcessRunner"/> starts op.</summary>
public sealed class OnePasswordRunnerSeamTests
{
    private const string Token = "ops_seamTestToken0001";

    private sealed class ScriptedRunner(Func<IReadOnlyList<string>, OpRun> answer) : IOpProcessRunner
    {
        public List<(string Token, IReadOnlyList<string> Arguments)> Calls { get; } = [];

        public Task<OpRun> RunAsync(string token, IReadOnlyList<string> arguments, IReadOnlyCollection<string?> secrets, CancellationToken ct)
        {
            Calls.Add((token, arguments));
            return Task.FromResult(answer(arguments));
        }
    }

    private static readonly Dictionary<string, string> Credentials = new() { [OnePasswordCliClient.AccessTokenField] = Token };

    [Fact]
    public async Task Verify_AsksForTheVaultList_WithTheToken_AndReadsItsJson()
    {
        var runner = new ScriptedRunner(_ => new OpRun { Stdout = "[]" });
        var client = new OnePasswordCliClient(runner, NullLogger<OnePasswordCliClient>.Instance);

        var check = await client.VerifyAsync(new VaultConnectionSettings(), Credentials);

        Assert.True(check.Ok);
        var call = Assert.Single(runner.Calls);
        Assert.Equal(Token, call.Token);
        Assert.Equal(OnePasswordCliClient.VerifyArguments, call.Arguments);
        Assert.DoesNotContain(call.Arguments, a => a.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_OneRunPerReference_RunnerFailuresAreUnreachable_StderrIsClassified()
    {
        var runner = new ScriptedRunner(arguments => arguments[^1] switch
        {
            "op://V/found/f" => new OpRun { Stdout = "value" },
            "op://V/gone/f" => new OpRun { ExitCode = 1, Stderr = "[ERROR] 2025/01/01 12:00:00 \"gone\" isn't an item in the \"V\" vault" },
            _ => new OpRun { Failure = "The 1Password CLI did not finish within 1 s and was stopped." },
        });
        var client = new OnePasswordCliClient(runner, NullLogger<OnePasswordCliClient>.Instance);

        var reads = await client.ReadAsync(new VaultConnectionSettings(), Credentials, ["op://V/found/f", "op://V/gone/f", "op://V/slow/f"]);

        Assert.Equal([CheckStatus.Ok, CheckStatus.Missing, CheckStatus.Unreachable], reads.Select(r => r.Status));
        Assert.Equal("value", reads[0].Value);
        Assert.Equal([.. OnePasswordCliClient.ReadArguments("op://V/slow/f")], runner.Calls[2].Arguments);
        Assert.Equal(3, runner.Calls.Count);
    }
}
