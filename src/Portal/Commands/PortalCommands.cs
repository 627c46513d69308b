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
        Action<IHostApplicationBuilder>? configure = null, Action<IServiceCollection>? overrideServices = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        if (!TryParseOptions(args.Skip(1).ToArray(), out var options, out var parseError))
        {
            await stderr.WriteLineAsync(parseError);
            return 2;
        }
        using var host = BuildHost(configure, overrideServices);
        await host.Services.MigrateAsync();
        await using var scope = host.Services.CreateAsyncScope();
        return args[0] switch
        {
            "bootstrap" => await BootstrapAsync(scope.ServiceProvider, options, stdout, stderr),
            "backup" => await BackupCommands.BackupAsync(scope.ServiceProvider, options, stdout, stderr),
            "restore" => await BackupCommands.RestoreAsync(scope.ServiceProvider, options, stdout, stderr),
            _ => await CredentialCommands.ReconcileAsync(scope.ServiceProvider, options, stdout, stderr),
        };
    }

    /// <summary>
    /// A generic host, not the web app: the same configuration sources and content root as the server and the same
    /// services (<see cref="PortalHost.AddPortalServices"/>), no server, no hosted services. The command's own arguments
    /// (a password among them) are not handed to it as configuration. Logs go to stderr: stdout is the command's answer.
    /// </summary>
    private static IHost BuildHost(Action<IHostApplicationBuilder>? configure, Action<IServiceCollection>? overrideServices)
    {
        // Lowest first, as WebApplication.CreateBuilder has it: the ASPNETCORE_ variables (the environment's name among them).
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables("ASPNETCORE_");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = PortalHost.ApplicationName,
            ContentRootPath = ContentRoot.For([]),
            Configuration = configuration,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        configure?.Invoke(builder);
        builder.AddPortalServices();
        overrideServices?.Invoke(builder.Services);
        // The shared registrations include web ones (authorization, cookies) whose dependencies only the web host adds;
        // a command never resolves them, so Development's build-time validation would refuse a host that works.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions
        {
            ValidateScopes = builder.Environment.IsDevelopment(),
            ValidateOnBuild = false,
        }));
        return builder.Build();
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
