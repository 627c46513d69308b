using Dataraven.Core.Common;
using Dataraven.Core.Email;
using Dataraven.Core.Persistence;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Dataraven.Portal.Email;

/// <summary>
/// Sends the email outbox over SMTP (MailKit), oldest first, when woken by a queued message or every
/// <see cref="PollInterval"/>. A failed send is retried later (<see cref="RetryAfter"/>), then given up. Logs name a
/// message by id and kind only: never its address, subject or body (which can hold a single-use link), and the
/// body is cleared once sent. Off when <c>Email:Smtp:Host</c> is empty.
/// </summary>
public sealed class OutboxSender(IServiceScopeFactory scopes, EmailSettings settings, EmailOutboxSignal signal, TimeProvider time,
    ILogger<OutboxSender> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    /// <summary>The wait after each failed attempt; after the last, the message is marked failed.</summary>
    public static readonly TimeSpan[] RetryAfter =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    private const int BatchSize = 20;

    /// <summary>How long a claimed message is this instance's: longer than one SMTP exchange may take (<see cref="SmtpTimeout"/>).</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan SmtpTimeout = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
                await signal.WaitAsync(await UntilNextDueAsync(stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("The email outbox pass failed ({Error}); trying again shortly.", e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>How long until the next retry is due, at most <see cref="PollInterval"/>.</summary>
    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var next = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Set<OutboxEmail>()
            .Where(m => m.SentAt == null && m.FailedAt == null)
            .OrderBy(m => m.NextAttemptAt).Select(m => (DateTime?)m.NextAttemptAt).FirstOrDefaultAsync(ct);
        var wait = next is { } due ? due - Clock.UtcNow(time) : PollInterval;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > PollInterval ? PollInterval : wait;
    }

    /// <summary>One pass: every message that is due, in order. Public for tests that drive the sender directly.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = Clock.UtcNow(time);
        var due = await db.Set<OutboxEmail>()
            .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now)
            .OrderBy(m => m.CreatedAt).Take(BatchSize).ToListAsync(ct);
        var sent = 0;
        foreach (var message in due)
        {
            if (!await ClaimAsync(db, message.Id, ct))
            {
                // Another instance took it since the query: it sends it, not this one.
                db.Entry(message).State = EntityState.Detached;
                continue;
            }
            try
            {
                await SendAsync(message, ct);
                message.SentAt = Clock.UtcNow(time);
                message.Body = "";
                message.LastError = null;
                sent++;
                logger.LogInformation("Sent email {EmailId} ({Kind}).", message.Id, message.Kind);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                message.Attempts++;
                message.LastError = e.GetType().Name;
                if (message.Attempts > RetryAfter.Length)
                {
                    message.FailedAt = Clock.UtcNow(time);
                    logger.LogWarning("Gave up on email {EmailId} ({Kind}) after {Attempts} attempts ({Error}).", message.Id, message.Kind, message.Attempts, e.GetType().Name);
                }
                else
                {
                    message.NextAttemptAt = Clock.UtcNow(time) + RetryAfter[message.Attempts - 1];
                    logger.LogInformation("Email {EmailId} ({Kind}) not sent ({Error}); attempt {Attempts} of {Max}, next at {Next:O}.",
                        message.Id, message.Kind, e.GetType().Name, message.Attempts, RetryAfter.Length + 1, message.NextAttemptAt);
                }
            }
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return sent;
    }

    /// <summary>
    /// Takes the message for this instance, as the webhook dispatcher takes a webhook's lease: one conditional update that
    /// only one instance can win (PostgreSQL re-reads the row after a concurrent update; SQLite serialises writes). The
    /// claim moves <see cref="OutboxEmail.NextAttemptAt"/> past <see cref="ClaimFor"/>, so the row is no longer due for anyone
    /// else; a crash before the outcome is saved makes it due again once the claim has passed (sent at least once).
    /// </summary>
    private async Task<bool> ClaimAsync(PortalDbContext db, Guid id, CancellationToken ct)
    {
        var now = Clock.UtcNow(time);
        var until = now + ClaimFor;
        return await db.Set<OutboxEmail>()
            .Where(m => m.Id == id && m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.NextAttemptAt, until), ct) == 1;
    }

    private async Task SendAsync(OutboxEmail message, CancellationToken ct)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From ?? "dataraven@localhost"));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart("plain") { Text = message.Body };
        using var client = new SmtpClient();
        client.Timeout = (int)SmtpTimeout.TotalMilliseconds;
        var security = !settings.UseTls ? SecureSocketOptions.None : settings.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(settings.Host!, settings.Port, security, ct);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", ct);
        }
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(true, ct);
    }
}
