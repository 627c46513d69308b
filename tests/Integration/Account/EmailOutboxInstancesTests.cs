using Dataraven.Core.Email;
using Dataraven.Core.Persistence;
using Dataraven.Portal.Email;
using Dataraven.Tests.Api;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dataraven.Tests.Account;

/// <summary>A portal with SMTP on, on SQLite or PostgreSQL, whose outbox the tests fill directly.</summary>
public abstract class EmailOutboxPortal : IAsyncLifetime
{
    public SmtpSink Smtp { get; } = new();
    public TestPortal Portal { get; private set; } = null!;

    protected virtual Task ConfigureDatabaseAsync(TestPortalOptions options) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var options = new TestPortalOptions();
        foreach (var (k, v) in Smtp.Settings())
        {
            options.Settings[k] = v;
        }
        await ConfigureDatabaseAsync(options);
        Portal = await TestPortal.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SqliteEmailOutboxPortal : EmailOutboxPortal;

public sealed class PostgresEmailOutboxPortal : EmailOutboxPortal
{
    protected override Task ConfigureDatabaseAsync(TestPortalOptions options) => PostgresRun.ConfigureAsync(options);
}

public sealed class EmailOutboxInstancesTestsSqlite(SqliteEmailOutboxPortal fixture) : EmailOutboxInstancesTests(fixture), IClassFixture<SqliteEmailOutboxPortal>;

public sealed class EmailOutboxInstancesTestsPostgres(PostgresEmailOutboxPortal fixture) : EmailOutboxInstancesTests(fixture), IClassFixture<PostgresEmailOutboxPortal>;

/// <summary>
/// Issue 23: several portal instances on one database send each queued email once. Two senders (as two instances would
/// run them) work the same outbox at the same time; each message arrives exactly once.
/// </summary>
public abstract class EmailOutboxInstancesTests(EmailOutboxPortal fixture)
{
    [Fact]
    public async Task TwoSenders_OnOneDatabase_SendEachMessageOnce()
    {
        const int messages = 30;
        var run = Guid.NewGuid().ToString("N")[..8];
        // Due only on the senders' clock (a day ahead), so the portal's own sender, on the real clock, leaves them to these two.
        var queuedAt = DateTime.UtcNow.AddDays(1);
        var clock = new FakeTimeProvider(new DateTimeOffset(queuedAt.AddMinutes(1)));
        var addresses = Enumerable.Range(0, messages).Select(i => $"user{i:D2}.{run}@example.com").ToList();
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            foreach (var (to, i) in addresses.Select((a, i) => (a, i)))
            {
                db.Set<OutboxEmail>().Add(new OutboxEmail
                {
                    Id = Guid.NewGuid(), To = to, Subject = $"Notice {i}", Body = $"Message {i} of run {run}", Kind = EmailKinds.Notice,
                    CreatedAt = queuedAt.AddMilliseconds(i), NextAttemptAt = queuedAt,
                });
            }
            await db.SaveChangesAsync();
        }

        var a = ActivatorUtilities.CreateInstance<OutboxSender>(fixture.Portal.Services, (TimeProvider)clock);
        var b = ActivatorUtilities.CreateInstance<OutboxSender>(fixture.Portal.Services, (TimeProvider)clock);
        var sent = 0;
        for (var round = 0; round < 10 && sent < messages; round++)
        {
            var passes = await Task.WhenAll(a.SendDueAsync(CancellationToken.None), b.SendDueAsync(CancellationToken.None),
                a.SendDueAsync(CancellationToken.None), b.SendDueAsync(CancellationToken.None));
            sent += passes.Sum();
        }

        Assert.Equal(messages, sent);
        var received = fixture.Smtp.Received.SelectMany(r => r.To).Where(t => t.Contains(run, StringComparison.Ordinal)).ToList();
        Assert.Equal(addresses.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var rows = await db.Set<OutboxEmail>().AsNoTracking().Where(m => addresses.Contains(m.To)).ToListAsync();
            Assert.All(rows, m =>
            {
                Assert.NotNull(m.SentAt);
                Assert.Equal("", m.Body);
                Assert.Equal(0, m.Attempts);
            });
        }
    }

    [Fact]
    public async Task AClaimedMessage_IsNotSentByAnotherSender_UntilTheClaimHasPassed()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var queuedAt = DateTime.UtcNow.AddDays(2);
        var to = $"claimed.{run}@example.com";
        var id = Guid.NewGuid();
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            // As a sender that claimed it and then crashed leaves it: claimed until queuedAt + the claim time.
            db.Set<OutboxEmail>().Add(new OutboxEmail
            {
                Id = id, To = to, Subject = "Claimed", Body = "Claimed elsewhere", Kind = EmailKinds.Notice,
                CreatedAt = queuedAt, NextAttemptAt = queuedAt + OutboxSender.ClaimFor,
            });
            await db.SaveChangesAsync();
        }
        var clock = new FakeTimeProvider(new DateTimeOffset(queuedAt.AddSeconds(1)));
        var sender = ActivatorUtilities.CreateInstance<OutboxSender>(fixture.Portal.Services, (TimeProvider)clock);

        await sender.SendDueAsync(CancellationToken.None);
        Assert.DoesNotContain(fixture.Smtp.Received, r => r.To.Contains(to));

        clock.Advance(OutboxSender.ClaimFor);
        await sender.SendDueAsync(CancellationToken.None);
        Assert.Single(fixture.Smtp.Received, r => r.To.Contains(to));
    }
}
