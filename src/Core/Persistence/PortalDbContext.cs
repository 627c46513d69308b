using Dataraven.Core.Accounts;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Audit;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.CredentialRequests;
using Dataraven.Core.Invitations;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Persistence;

/// <summary>
/// The portal's model, on SQLite (the embedded default). <see cref="PostgresPortalDbContext"/> is the same
/// model on PostgreSQL, a type of its own so that each provider has its own migrations and snapshot.
/// </summary>
public class PortalDbContext : IdentityUserContext<PortalUser, Guid>
{
    public PortalDbContext(DbContextOptions<PortalDbContext> options) : base(options)
    {
    }

    protected PortalDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<VaultConnection> VaultConnections => Set<VaultConnection>();
    public DbSet<Secret> Secrets => Set<Secret>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<CredentialRequest> CredentialRequests => Set<CredentialRequest>();
    public DbSet<Notifications.NotificationEvent> NotificationEvents => Set<Notifications.NotificationEvent>();
    public DbSet<Notifications.NotificationMark> NotificationMarks => Set<Notifications.NotificationMark>();
    public DbSet<Notifications.Webhooks.Webhook> Webhooks => Set<Notifications.Webhooks.Webhook>();
    public DbSet<Notifications.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Notifications.Webhooks.WebhookDelivery>();
    public DbSet<Owners.ObjectOwner> ObjectOwners => Set<Owners.ObjectOwner>();
    public DbSet<Notifications.NotificationEmailOptOut> NotificationEmailOptOuts => Set<Notifications.NotificationEmailOptOut>();

    /// <summary>
    /// Called first inside a write transaction that checks the team's other records before it writes (tier limits,
    /// the last Owner, a connection still in use): makes such transactions of one team, in any portal instance,
    /// run one after the other. On SQLite the transaction itself does it (BEGIN IMMEDIATE takes the single write lock).
    /// </summary>
    public virtual Task LockTeamForWriteAsync(Guid teamId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Applies pending migrations; on PostgreSQL one instance at a time (see the override).</summary>
    public virtual async Task MigrateAsync(CancellationToken ct = default)
    {
        // Every start runs this: on an up-to-date database the history read is enough. MigrateAsync itself would also
        // take the migration lock and diff the model against the snapshot (a design-time check; MigrationsTests has it).
        if ((await Database.GetPendingMigrationsAsync(ct)).Any())
        {
            await Database.MigrateAsync(ct);
        }
    }

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(TeamDataVersions.Instance, AfterCommit.Instance);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Also applies to DateTime? properties.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Identity's passkeys table, as its schema version 3 lays it out. Configured here rather than through
        // IdentityOptions.Stores.SchemaVersion: that option is read from the application's services, which dotnet ef and
        // contexts built by hand do not have, so the model (cached per context type) would depend on who built it first;
        // version 3 would also change the other identity tables' column lengths.
        builder.Entity<PortalUser>().HasMany<IdentityUserPasskey<Guid>>().WithOne().HasForeignKey(p => p.UserId).IsRequired();
        builder.Entity<IdentityUserPasskey<Guid>>(e =>
        {
            e.ToTable("AspNetUserPasskeys");
            e.HasKey(p => p.CredentialId);
            e.Property(p => p.CredentialId).HasMaxLength(1024);
            e.OwnsOne(p => p.Data).ToJson();
        });

        builder.Entity<Team>(e =>
        {
            e.ToTable("teams");
            e.Property(t => t.Name).HasMaxLength(255);
            e.Property(t => t.Tier).HasMaxLength(32);
            // Teams that existed before the column share the empty version until their first change; new teams too.
            e.Property(t => t.DataVersion).HasDefaultValue(Guid.Empty);
        });

        builder.Entity<TeamMember>(e =>
        {
            e.ToTable("team_members");
            e.HasKey(m => new { m.TeamId, m.UserId });
            e.HasOne(m => m.Team).WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(m => m.UserId);
        });

        builder.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.Property(k => k.Name).HasMaxLength(255);
            e.Property(k => k.KeyId).HasMaxLength(64);
            e.HasIndex(k => k.KeyId).IsUnique();
            e.HasIndex(k => k.TeamId);
            e.HasOne<Team>().WithMany().HasForeignKey(k => k.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Invitation>(e =>
        {
            e.ToTable("invitations");
            e.Property(i => i.Email).HasMaxLength(256);
            e.Property(i => i.EmailNormalized).HasMaxLength(256);
            e.Property(i => i.TokenHash).HasMaxLength(32);
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => new { i.TeamId, i.EmailNormalized });
            e.HasOne<Team>().WithMany().HasForeignKey(i => i.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<CredentialRequest>(e =>
        {
            e.ToTable("credential_requests");
            e.Property(r => r.TokenHash).HasMaxLength(32);
            e.HasIndex(r => r.TokenHash).IsUnique();
            e.HasIndex(r => r.TeamId);
            e.Property(r => r.Name).HasMaxLength(255);
            e.Property(r => r.Description).HasMaxLength(2000);
            e.Property(r => r.SecretType).HasMaxLength(64);
            e.Property(r => r.AuthMethod).HasMaxLength(64);
            e.Property(r => r.Note).HasMaxLength(2000);
            // Closing a link is a conditional update: the save fails if a concurrent one closed it first.
            e.Property(r => r.FulfilledAt).IsConcurrencyToken();
            e.Property(r => r.RevokedAt).IsConcurrencyToken();
            e.Property(r => r.ExhaustedAt).IsConcurrencyToken();
            e.HasOne<Team>().WithMany().HasForeignKey(r => r.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<VaultConnection>(e =>
        {
            e.ToTable("vault_connections");
            e.Property(v => v.Name).HasMaxLength(255);
            e.Property(v => v.NameNormalized).HasMaxLength(255);
            e.Property(v => v.Description).HasMaxLength(2000);
            e.Property(v => v.VaultType).HasConversion<string>().HasMaxLength(32);
            e.Property(v => v.Status).HasConversion<string>().HasMaxLength(32);
            e.Property(v => v.FailureClass).HasConversion<string>().HasMaxLength(32);
            e.HasIndex(v => new { v.TeamId, v.NameNormalized }).IsUnique();
            e.HasOne<Team>().WithMany().HasForeignKey(v => v.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Secret>(e =>
        {
            e.ToTable("secrets");
            e.Property(s => s.Name).HasMaxLength(255);
            e.Property(s => s.NameNormalized).HasMaxLength(255);
            e.Property(s => s.Description).HasMaxLength(2000);
            e.Property(s => s.SecretType).HasMaxLength(64);
            e.Property(s => s.AuthMethod).HasMaxLength(64);
            e.HasIndex(s => new { s.TeamId, s.NameNormalized }).IsUnique();
            e.HasIndex(s => s.VaultConnectionId);
            e.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Cascade);
            // Restrict: a connection that secrets still use cannot be deleted (409 in_use).
            e.HasOne<VaultConnection>().WithMany().HasForeignKey(s => s.VaultConnectionId).OnDelete(DeleteBehavior.Restrict);
            e.OwnsMany(s => s.FieldMappings, m => m.ToJson("field_mappings"));
            e.PrimitiveCollection(s => s.CredentialFields);
            e.ComplexProperty(s => s.Health, SecretHealthColumns.Configure);
        });

        builder.Entity<AuditEvent>(e =>
        {
            e.ToTable("audit_events");
            e.Property(a => a.ActorType).HasMaxLength(16);
            e.Property(a => a.ActorName).HasMaxLength(320);
            e.Property(a => a.Via).HasMaxLength(16);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.TargetType).HasMaxLength(32);
            e.Property(a => a.TargetName).HasMaxLength(320);
            e.Property(a => a.Outcome).HasMaxLength(16);
            e.Property(a => a.Ip).HasMaxLength(64);
            // Newest first per team, with the id as the cursor's tie-breaker.
            e.HasIndex(a => new { a.TeamId, a.At, a.Id });
            e.HasIndex(a => new { a.TeamId, a.TargetId });
            // No foreign key to the target: events outlive what they describe. Deleting a team deletes its events.
            e.HasOne<Team>().WithMany().HasForeignKey(a => a.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        // 1Password vault scoping (issue 20): the one vault a 1Password connection may read.
        builder.Entity<VaultConnection>(e => e.Property(v => v.Vault).HasMaxLength(255));

        // The expiry policy: rows from before it get a value in the migration (their last update); the default only makes
        // SQLite's ADD COLUMN ... NOT NULL possible and keeps the migrated schema equal to the model's. Every write sets it.
        builder.Entity<VaultConnection>(e => e.Property(v => v.CredentialsUpdatedAt).HasDefaultValue(DateTime.UnixEpoch));
        builder.Entity<Secret>(e => e.Property(s => s.CredentialsUpdatedAt).HasDefaultValue(DateTime.UnixEpoch));

        // The trash (soft delete): every query but the trash's own (IgnoreQueryFilters) sees only live records; a trashed
        // one frees its name (the unique indexes cover live rows only); DeletedAt is a concurrency token, so a delete, a
        // restore, a purge or any other write of a row whose trash state changed meanwhile fails as a lost race (404).
        builder.Entity<VaultConnection>(e =>
        {
            e.HasQueryFilter(v => v.DeletedAt == null);
            e.Property(v => v.DeletedAt).IsConcurrencyToken();
            e.HasIndex(v => new { v.TeamId, v.NameNormalized }).IsUnique().HasFilter("\"DeletedAt\" IS NULL");
            e.HasIndex(v => v.PurgeAt);
        });
        builder.Entity<Secret>(e =>
        {
            e.HasQueryFilter(s => s.DeletedAt == null);
            e.Property(s => s.DeletedAt).IsConcurrencyToken();
            e.HasIndex(s => new { s.TeamId, s.NameNormalized }).IsUnique().HasFilter("\"DeletedAt\" IS NULL");
            e.HasIndex(s => s.PurgeAt);
        });

        builder.Entity<TeamSecurityPolicy>(e =>
        {
            e.ToTable("team_security_policies");
            e.HasKey(p => p.TeamId);
            e.HasOne<Team>().WithOne().HasForeignKey<TeamSecurityPolicy>(p => p.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Email.OutboxEmail>(e =>
        {
            e.ToTable("email_outbox");
            e.Property(m => m.To).HasMaxLength(320);
            e.Property(m => m.Subject).HasMaxLength(255);
            e.Property(m => m.Kind).HasMaxLength(32);
            e.Property(m => m.LastError).HasMaxLength(500);
            // The sender's query: what is due, oldest first.
            e.HasIndex(m => new { m.SentAt, m.FailedAt, m.NextAttemptAt });
        });

        // Notifications (webhooks): the outbox, once-only marks, webhooks and their deliveries.
        builder.Entity<Notifications.NotificationEvent>(e =>
        {
            e.ToTable("notification_events");
            e.HasKey(n => n.Id);
            e.Property(n => n.Id).ValueGeneratedOnAdd();
            e.Property(n => n.Type).HasMaxLength(64);
            e.Property(n => n.TargetType).HasMaxLength(32);
            e.HasIndex(n => new { n.TeamId, n.Id });
            e.HasOne<Team>().WithMany().HasForeignKey(n => n.TeamId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Notifications.NotificationMark>(e =>
        {
            e.ToTable("notification_marks");
            e.Property(m => m.Kind).HasMaxLength(64);
            e.HasIndex(m => new { m.TeamId, m.TargetId, m.Kind, m.ExpiresAt }).IsUnique();
            e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Notifications.Webhooks.Webhook>(e =>
        {
            e.ToTable("webhooks");
            e.Property(w => w.Url).HasMaxLength(2000);
            e.Property(w => w.Description).HasMaxLength(2000);
            e.Property(w => w.LeaseOwner).HasMaxLength(64);
            e.PrimitiveCollection(w => w.Events);
            e.HasIndex(w => w.TeamId);
            e.HasOne<Team>().WithMany().HasForeignKey(w => w.TeamId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Notifications.Webhooks.WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.Property(d => d.Event).HasMaxLength(64);
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(d => d.Error).HasMaxLength(500);
            e.Ignore(d => d.MessageId);
            e.HasIndex(d => new { d.WebhookId, d.Status, d.EventSequence });
            e.HasOne<Notifications.Webhooks.Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        });

        // Owners (issue 21): a membership's rows, so a member who leaves (or a team deleted) stops owning anything.
        builder.Entity<Owners.ObjectOwner>(e =>
        {
            e.ToTable("object_owners");
            e.HasKey(o => new { o.ObjectId, o.UserId });
            e.Property(o => o.ObjectType).HasMaxLength(32);
            e.HasIndex(o => new { o.TeamId, o.UserId });
            e.HasIndex(o => new { o.TeamId, o.ObjectType });
            e.HasOne<TeamMember>().WithMany().HasForeignKey(o => new { o.TeamId, o.UserId }).OnDelete(DeleteBehavior.Cascade);
        });

        // Email to owners (issue 24): the kinds a user turned off.
        builder.Entity<Notifications.NotificationEmailOptOut>(e =>
        {
            e.ToTable("notification_email_opt_outs");
            e.HasKey(o => new { o.UserId, o.Kind });
            e.Property(o => o.Kind).HasMaxLength(32);
            e.HasOne<PortalUser>().WithMany().HasForeignKey(o => o.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
