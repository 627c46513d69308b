using Dataraven.Core.ApiKeys;
using Dataraven.Core.Audit;
using Dataraven.Core.Checks;
using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.CredentialStore.Ssm;
using Dataraven.Core.Invitations;
using Dataraven.Core.Notifications;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core;

public static class CoreServiceCollectionExtensions
{
    public const string DefaultConnectionString = "Data Source=data/portal.db";

    /// <summary>Everything Core needs: persistence, the credential store chosen by configuration, domain services.</summary>
    public static IServiceCollection AddDataravenCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddPortalDatabase(configuration, contentRoot);

        services.AddSingleton<TeamWriteLocks>();
        services.AddScoped<TierLimits>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<Accounts.AccountAudit>();
        services.AddScoped<Accounts.TeamSecurityPolicies>();
        services.AddScoped<Accounts.MemberPasswordResets>();
        services.AddSingleton(Email.EmailSettings.Read(configuration));
        services.AddSingleton<Email.EmailOutboxSignal>();
        services.AddScoped<Email.EmailOutbox>();
        services.AddScoped<TeamAccess>();
        services.AddScoped<AuditLog>();
        services.AddScoped<TeamService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<InvitationService>();
        services.AddScoped<CredentialRequests.CredentialRequestService>();
        services.AddSingleton<ApiKeyCache>();
        services.AddScoped<CredentialRecords>();
        services.AddScoped<VaultConnectionService>();
        services.AddScoped<VaultBrowseService>();
        services.AddMemoryCache();
        services.AddSingleton<RecentProviderChecks>();
        services.AddScoped<SecretService>();
        services.AddScoped<Owners.ObjectOwners>();
        services.AddScoped<CredentialReconciler>();
        services.AddOptions<Trash.RetentionOptions>().Bind(configuration.GetSection(Trash.RetentionOptions.SectionName));
        services.AddSingleton<Trash.TrashStamps>();
        services.AddScoped<Trash.TrashService>();
        services.AddVaultProviders(configuration);
        services.AddChecks(configuration);

        services.AddCredentialStore(configuration, contentRoot);
        services.AddScoped<Checks.Health.SecretHealthService>();
        services.AddNotifications(configuration);
        return services;
    }

    /// <summary>The one place the database provider is chosen (<c>Database:Provider</c>); services always ask for <see cref="PortalDbContext"/>.</summary>
    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString("Portal");
        if (UsesPostgres(configuration))
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                throw new InvalidOperationException("Database:Provider is Postgres: set ConnectionStrings:Portal to an Npgsql connection string.");
            }
            services.AddDbContext<PostgresPortalDbContext>(o => WithoutStartupModelDiff(o.UseNpgsql(configured)));
            services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<PostgresPortalDbContext>());
            services.AddSingleton<TeamDataSignals>();
            services.AddHostedService(sp => new PostgresTeamDataListener(configured, sp.GetRequiredService<TeamDataSignals>(),
                sp.GetRequiredService<ILogger<PostgresTeamDataListener>>()));
            return services;
        }
        // One instance on one file: nothing to listen to, so no stamp is ever current (see TeamListCache).
        services.AddSingleton<TeamDataSignals>();
        var connectionString = ResolveConnectionString(configured, contentRoot);
        services.AddDbContext<PortalDbContext>(o => WithoutStartupModelDiff(o.UseSqlite(connectionString)));
        return services;
    }

    /// <summary>
    /// PendingModelChangesWarning off for the portal's own contexts: with it on, MigrateAsync (a fresh database, an
    /// upgrade) first builds the snapshot's model and the design-time model and diffs them, ~0.1 s of the start. It is a
    /// design-time check: MigrationsTests and PostgresMigrationsTests assert HasPendingModelChanges() is false.
    /// </summary>
    private static DbContextOptionsBuilder WithoutStartupModelDiff(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    /// <summary><c>Database:Provider</c>: <c>Sqlite</c> (default, embedded) or <c>Postgres</c>.</summary>
    public static bool UsesPostgres(IConfiguration configuration)
    {
        var provider = configuration["Database:Provider"] ?? "Sqlite";
        return provider.ToLowerInvariant() switch
        {
            "sqlite" => false,
            "postgres" or "postgresql" => true,
            _ => throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not '{provider}'."),
        };
    }

    /// <summary>The one place the credential store implementation is chosen (<c>CredentialStore:Provider</c>).</summary>
    public static IServiceCollection AddCredentialStore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = configuration["CredentialStore:Provider"] ?? "Local";
        switch (provider.ToLowerInvariant())
        {
            case "local":
                services.Configure<LocalCredentialStoreOptions>(configuration.GetSection("CredentialStore:Local"));
                services.AddSingleton<ICredentialStore>(sp =>
                    new LocalCredentialStore(sp.GetRequiredService<IOptions<LocalCredentialStoreOptions>>(), contentRoot));
                break;
            case "ssm":
                services.AddSsmCredentialStore(configuration);
                break;
            default:
                throw new InvalidOperationException($"CredentialStore:Provider must be Local or Ssm, not '{provider}'.");
        }
        return services;
    }

    /// <summary>Makes a relative SQLite file path relative to the content root and creates the file and its folder owner-only.</summary>
    public static string ResolveConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? DefaultConnectionString : configured);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
            OwnerOnly.Folder(Path.GetDirectoryName(path)!);
            // SQLite takes an empty file as a new database, and gives its -wal and -shm files the same mode.
            OwnerOnly.EmptyFile(path);
            builder.DataSource = path;
        }
        // Writers wait for each other (BEGIN IMMEDIATE) instead of failing at once.
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
