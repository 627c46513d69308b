using System.Text.Json;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Audit;
using Dataraven.Core.Teams;
using Dataraven.Portal.Hosting;

namespace Dataraven.Portal.Commands;

/// <summary>Commands for automation, run with the same configuration as the server: <c>bootstrap</c>, <c>reconcile-credentials</c>, <c>backup</c>, <c>restore</c>.</summary>
public static class PortalCommands
{
    private static readonly string[] Names = ["bootstrap", "reconcile-credentials", "backup", "restore"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null,
        Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? overrideServices = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        if (!TryParseOptions(args.Skip(1).ToArray(), out var options, out var parseError))
        {
            await stderr.WriteLineAsync(parseError);
            return 2;
        }
        // The command's own arguments (a password among them) are not handed to the host as configuration.
        await using var app = PortalApp.Build([], configure, overrideServices, logToStdErr: true);
        await app.Services.MigrateAsync();
        await using var scope = app.Services.CreateAsyncScope();
        return args[0] switch
        {
            "bootstrap" => await BootstrapAsync(scope.ServiceProvider, options, stdout, stderr),
            "backup" => await BackupCommands.BackupAsync(scope.ServiceProvider, options, stdout, stderr),
            "restore" => await BackupCommands.RestoreAsync(scope.ServiceProvider, options, stdout, stderr),
            _ => await CredentialCommands.ReconcileAsync(scope.ServiceProvider, options, stdout, stderr),
        };
    }

    private static async Task<int> BootstrapAsync(IServiceProvider services, IReadOnlyDictionary<string, string?> options,
        TextWriter stdout, TextWriter stderr)
    {
        const string usage = "usage: bootstrap --team NAME --email EMAIL --password PASSWORD [--tier free|pro]";
        if (!options.TryGetValue("team", out var team) || !options.TryGetValue("email", out var email) ||
            !options.TryGetValue("password", out var password))
        {
            await stderr.WriteLineAsync(usage);
            return 2;
        }
        var tier = options.GetValueOrDefault("tier") ?? "free";
        var teams = services.GetRequiredService<TeamService>();
        var user = await teams.FindOrCreateUserAsync(email, password);
        if (!user.IsSuccess)
        {
            await stderr.WriteLineAsync(Describe(user.Problem!));
            return 1;
        }
        var created = await teams.CreateTeamAsync(user.Value!.Id, team, tier ?? "free", AuditVia.Cli);
        if (!created.IsSuccess)
        {
            await stderr.WriteLineAsync(Describe(created.Problem!));
            return 1;
        }
        var actor = new TeamActor(created.Value!.Id, user.Value.Id, TeamRole.Owner) { ActorName = user.Value.Email, Via = AuditVia.Cli };
        var key = await services.GetRequiredService<ApiKeyService>().CreateAsync(actor, "bootstrap", TeamRole.Owner.ToWire());
        if (!key.IsSuccess)
        {
            await stderr.WriteLineAsync(Describe(key.Problem!));
            return 1;
        }
        await stdout.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["team_id"] = created.Value.Id.ToString(),
            ["user_id"] = user.Value.Id.ToString(),
            ["api_key"] = key.Value!.Plaintext,
        }));
        return 0;
    }

    internal static string Describe(Core.Common.Problem problem) => problem is Core.Common.ValidationProblem v
        ? string.Join("; ", v.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
        : problem.Message;

    /// <summary><c>--name value</c> pairs and bare <c>--flag</c>s.</summary>
    internal static bool TryParseOptions(string[] args, out Dictionary<string, string?> options, out string error)
    {
        options = new(StringComparer.Ordinal);
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length == 2)
            {
                error = $"Unexpected argument '{args[i]}'.";
                return false;
            }
            var name = args[i][2..];
            var eq = name.IndexOf('=');
            if (eq > 0)
            {
                options[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                options[name] = args[++i];
            }
            else
            {
                options[name] = null;
            }
        }
        return true;
    }
}
