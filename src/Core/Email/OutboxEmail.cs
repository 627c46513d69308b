namespace Dataraven.Core.Email;

/// <summary>
/// An email waiting to be sent, written in the request that causes it and sent later by the outbox sender, so
/// no request waits for an SMTP server. The body can hold a single-use link: it is cleared once sent.
/// </summary>
public sealed class OutboxEmail
{
    public Guid Id { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>What kind of message (invitation, password_reset, notice): for logs, which never show the body.</summary>
    public required string Kind { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Set when it was given up after the last attempt.</summary>
    public DateTime? FailedAt { get; set; }
    public string? LastError { get; set; }
}
