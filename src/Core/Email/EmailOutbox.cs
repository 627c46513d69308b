using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Microsoft.Extensions.Configuration;

namespace Dataraven.Core.Email;

/// <summary>SMTP settings (<c>Email:Smtp:*</c>, <c>Email:From</c>); email is off while <see cref="Host"/> is empty.</summary>
public sealed record EmailSettings(string? Host, int Port, string? Username, string? Password, bool UseTls, string? From)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public static EmailSettings Read(IConfiguration configuration) => new(
        configuration["Email:Smtp:Host"],
        configuration.GetValue("Email:Smtp:Port", 587),
        configuration["Email:Smtp:Username"],
        configuration["Email:Smtp:Password"],
        configuration.GetValue("Email:Smtp:UseTls", true),
        configuration["Email:From"]);
}

/// <summary>Kinds of email, as the outbox and its logs name them.</summary>
public static class EmailKinds
{
    public const string Invitation = "invitation";
    public const string PasswordReset = "password_reset";
    public const string Notice = "notice";

    /// <summary>A notification event, to the owners of what it is about.</summary>
    public const string Notification = "notification";
}

/// <summary>
/// Queues email in the database; the outbox sender delivers it. Nothing here talks to a mail server, so a request
/// never waits for one. With email off, nothing is queued.
/// </summary>
public sealed class EmailOutbox(PortalDbContext db, EmailSettings settings, EmailOutboxSignal signal, TimeProvider time)
{
    public bool Enabled => settings.Enabled;

    /// <summary>After the caller's save of <see cref="Add"/>ed messages: send them now.</summary>
    public void Flush() => signal.Pulse();

    /// <summary>Stages a message in the context: the caller's save commits it with the change that caused it.</summary>
    public void Add(string to, string subject, string body, string kind)
    {
        if (!Enabled)
        {
            return;
        }
        var now = Clock.UtcNow(time);
        db.Set<OutboxEmail>().Add(new OutboxEmail
        {
            Id = Guid.NewGuid(), To = to, Subject = subject, Body = body, Kind = kind, CreatedAt = now, NextAttemptAt = now,
        });
    }

    public async Task SendAsync(string to, string subject, string body, string kind, CancellationToken ct = default)
    {
        Add(to, subject, body, kind);
        await db.SaveChangesAsync(ct);
        signal.Pulse();
    }

    /// <summary>A notice that something changed on the account, with what to do if it was not them.</summary>
    public Task NoticeAsync(string? to, string what, CancellationToken ct = default) => to is null
        ? Task.CompletedTask
        : SendAsync(to, $"DataRaven: {what}", $"""
            {what} on your DataRaven account ({to}) at {Clock.UtcNow(time):yyyy-MM-dd HH:mm} UTC.

            If this was you, there is nothing to do. If it was not, reset your password now and tell an Owner of your team.
            """, EmailKinds.Notice, ct);
}

/// <summary>Wakes the outbox sender when a message is queued, so it goes out at once instead of at the next poll.</summary>
public sealed class EmailOutboxSignal
{
    private readonly SemaphoreSlim _queued = new(0, 1);

    public void Pulse()
    {
        if (_queued.CurrentCount == 0)
        {
            try
            {
                _queued.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already pulsed.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _queued.WaitAsync(timeout, ct);
}
