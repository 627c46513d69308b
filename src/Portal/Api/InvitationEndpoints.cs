using Dataraven.Core.Common;
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
        invitations.MapPost("/", async (HttpContext http, InvitationService service, CancellationToken ct) =>
        {
            var body = await ApiJson.ReadAsync<CreateInvitationRequest>(http.Request, ct);
            if (!body.IsSuccess)
            {
                return body.Problem!.ToResult();
            }
            var created = await service.CreateAsync(http.Actor(), body.Value!.Email, body.Value.Role, ct);
            // The link points at this portal as the caller reached it (scheme, host and path base of the request).
            var baseUri = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
            return created.ToResult(c => ApiProblems.Created($"{http.Request.Path}/{c.Invitation.Id}",
                new InvitationCreatedResponse(c.Invitation.Id, c.Invitation.Email, c.Invitation.Role.ToWire(), LinkFor(baseUri, c.Token),
                    c.Invitation.ExpiresAt, c.Invitation.CreatedAt, c.Invitation.CreatedBy)));
        })
        .AcceptsJson<CreateInvitationRequest>()
        .Produces<InvitationCreatedResponse>(StatusCodes.Status201Created)
        .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NameConflict)
        .WithSummary("Invite someone by email with a role (the link is in this answer only)");

        invitations.MapGet("/", async (HttpContext http, InvitationService service, CancellationToken ct) =>
            (await service.ListPendingAsync(http.Actor(), ct)).ToResult(list => ApiProblems.Ok(list.Select(InvitationResponse.From).ToList())))
        .Produces<List<InvitationResponse>>()
        .ProducesErrors(ApiErrors.ForbiddenRole)
        .WithSummary("List pending invitations (never their links)");

        invitations.MapDelete("/{id}", async (HttpContext http, string id, InvitationService service, CancellationToken ct) =>
            Guid.TryParse(id, out var invitationId)
                ? (await service.RevokeAsync(http.Actor(), invitationId, ct)).ToResult(_ => Results.NoContent())
                : new NotFoundProblem("invitation").ToResult())
        .Produces(StatusCodes.Status204NoContent)
        .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.NotFound)
        .WithSummary("Revoke a pending invitation");
    }
}
