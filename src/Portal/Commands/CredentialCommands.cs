namespace Dataraven.Portal.Commands;

public static class CredentialCommands
{
    public static async Task<int> ReconcileAsync(IServiceProvider services, IReadOnlyDictionary<string, string?> options,
        TextWriter stdout, TextWriter stderr)
    {
        await stderr.WriteLineAsync("reconcile-credentials is not available yet.");
        return 1;
    }
}
