using Dataraven.Core.Email;
using Dataraven.Core.Invitations;

namespace Dataraven.Portal.Email;

/// <summary>The invitation email (when email is on): the same link the inviting member is shown once.</summary>
public static class InvitationEmails
{
    public static Task SendAsync(EmailOutbox outbox, InvitationCreated created, string link, string? invitedBy, CancellationToken ct = default) =>
        !outbox.Enabled
            ? Task.CompletedTask
            : outbox.SendAsync(created.Invitation.Email, "You are invited to a team on DataRaven", $"""
                {invitedBy ?? "A member"} invites you to their team on DataRaven as {created.Invitation.Role}.

                Accept here (the link works once, until {created.Invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC):
                {link}
                """, EmailKinds.Invitation, ct);
}
