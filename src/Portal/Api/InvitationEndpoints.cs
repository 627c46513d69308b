using Microsoft.AspNetCore.Http.Extensions;
using Dataraven.Core.Invitations;
using Dataraven.Core.Teams;
using Dataraven.Portal.Auth;

namespace Dataraven.Portal.Api;

public sealed record CreateInvitationRequest(string? Email, string? Role);

public sealed record InvitationResponse(Guid Id, string Email, string Role, DateTime ExpiresAt, DateTime CreatedAt, Guid CreatedBy)
{
    public static InvitationResponse From(InvitationView i) => new(i.Id, i.Email, i.Role.ToWire(), i.ExpiresAt, i.CreatedAt, i.CreatedBy);
}

/// <summary>Only the creation answer carries the link.</summary>
public sealed record InvitationCreatedResponse(Guid Id, string Email, string Role, string Url, DateTime ExpiresAt, DateTime CreatedAt, Guid CreatedBy);

public static class InvitationEndpoints
{
    /// <summary>The page that opens an invitation; the UI and the API build the same link.</summary>
    public static string LinkFor(string baseUri, string token) => $"{baseUri.TrimEnd('/')}/invitations/{token}";

    public static void MapInvitationEndpoints(this RouteGroupBuilder team)
    {
        var invitations = team.MapGroup("/invitations").WithTags("Invitations");
        invitations.MapPost("/", async (HttpContext http, InvitationService service, Dataraven.Core.Email.EmailOutbox outbox, CancellationToken ct) =>
            {
                // The link points at this portal as the caller reached it (scheme, host and path base of the request).
                var baseUri = UriHelper.BuildAbsolute(http.Request.Scheme, http.Request.Host, http.Request.PathBase);
                var result = await ApiJson.ReadAsync<CreateInvitationRequest>(http.Request, ct)
                    .ThenAsync(body => service.CreateAsync(http.Actor(), body.Email, body.Role, ct));
                if (result.IsSuccess)
                {
                    await Email.InvitationEmails.SendAsync(outbox, result.Value!, LinkFor(baseUri, result.Value!.Token), http.Actor().ActorName, ct);
                }
                return result
                    .ToCreated(c => $"{http.Request.Path}/{c.Invitation.Id}",
                        c => new InvitationCreatedResponse(c.Invitation.Id, c.Invitation.Email, c.Invitation.Role.ToWire(), LinkFor(baseUri, c.Token),
                            c.Invitation.ExpiresAt, c.Invitation.CreatedAt, c.Invitation.CreatedBy));
            })
            .AcceptsJson<CreateInvitationRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NameConflict)
            .WithName("createInvitation")
            .WithSummary("Invite someone by email with a role (the link is in this answer only)");

        invitations.MapGet("/", async (HttpContext http, InvitationService service, CancellationToken ct) =>
                (await service.ListPendingAsync(http.Actor(), ct)).ToOk(list => list.Select(InvitationResponse.From).ToList()))
            .ProducesErrors(ApiErrors.ForbiddenRole)
            .WithName("listInvitations")
            .WithSummary("List pending invitations (never their links)");

        invitations.MapDelete("/{id:guid}", async (Guid id, HttpContext http, InvitationService service, CancellationToken ct) =>
                (await service.RevokeAsync(http.Actor(), id, ct)).ToNoContent())
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound)
            .WithName("revokeInvitation")
            .WithSummary("Revoke a pending invitation");
    }
}
