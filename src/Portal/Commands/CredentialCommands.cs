using Dataraven.Core.CredentialStore;

namespace Dataraven.Portal.Commands;

public static class CredentialCommands
{
    /// <summary>
    /// <c>reconcile-credentials [--fix]</c>: lists stored credentials with no record (orphans) and records whose
    /// credential is missing; with <c>--fix</c> deletes the orphans. Exit 0 when consistent, 1 otherwise.
    /// </summary>
    public static async Task<int> ReconcileAsync(IServiceProvider services, IReadOnlyDictionary<string, string?> options,
        TextWriter stdout, TextWriter stderr)
    {
        var unknown = options.Keys.Where(k => k != "fix").ToList();
        if (unknown.Count > 0)
        {
            await stderr.WriteLineAsync($"usage: reconcile-credentials [--fix] (unknown option --{unknown[0]})");
            return 2;
        }
        try
        {
            var report = await services.GetRequiredService<CredentialReconciler>().ReconcileAsync(fix: options.ContainsKey("fix"));
            await stdout.WriteAsync(report.Format());
            return report.ExitCode;
        }
        catch (CredentialStoreUnavailableException e)
        {
            await stderr.WriteLineAsync("The credential store is unavailable: " + e.Message);
            return 1;
        }
    }
}
