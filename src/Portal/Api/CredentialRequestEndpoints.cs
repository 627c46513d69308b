using Microsoft.AspNetCore.Http.Extensions;
using System.Security.Claims;
using Dataraven.Core.CredentialRequests;
using Dataraven.Portal.Auth;
using Dataraven.Portal.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dataraven.Portal.Api;

/// <summary>A credential request as its team sees it: never the link (it exists in the creation's answer only).</summary>
public sealed record CredentialRequestResponse(
    Guid Id, Guid TeamId, string Status, DateTime ExpiresAt, int Views, int MaxViews, bool RequireSignIn, Guid? SecretId,
    string Name, string SecretType, string AuthMethod, string? Note, DateTime CreatedAt, Guid CreatedBy, DateTime? FulfilledAt)
{
    public static CredentialRequestResponse From(CredentialRequestView v)
    {
        var r = v.Request;
        return new(r.Id, r.TeamId, StatusName(v.Status), r.ExpiresAt, r.Views, r.MaxViews, r.RequireSignIn, r.SecretId, r.Name,
            r.SecretType, r.AuthMethod, r.Note, r.CreatedAt, r.CreatedBy, r.FulfilledAt);
    }

    public static string StatusName(CredentialRequestStatus status) => status.ToString().ToLowerInvariant();
}

public sealed record CredentialRequestCreatedResponse(
    Guid Id, Guid TeamId, string Status, string Url, DateTime ExpiresAt, int Views, int MaxViews, bool RequireSignIn, Guid? SecretId,
    string Name, string SecretType, string AuthMethod, string? Note, DateTime CreatedAt, Guid CreatedBy);

/// <summary>What the holder of the link sees: the asking team's name, who asks, the note and the fields to fill.</summary>
public sealed record CredentialRequestOpenedResponse(
    string TeamName, string RequestedBy, string? Note, string SecretType, string AuthMethod, IReadOnlyList<string> Fields, DateTime ExpiresAt);

public sealed record FulfilCredentialRequestBody(Dictionary<string, string>? Credentials);

public sealed record CredentialRequestFulfilledResponse(string Status, Guid SecretId);

public static class CredentialRequestEndpoints
{
    /// <summary>The public route of a link; its token is redacted from request logs (<see cref="TokenPaths"/>).</summary>
    public const string PublicRoute = "/v1/credential-requests";

    /// <summary>The page that opens a credential request; the UI and the API build the same link.</summary>
    public static string LinkFor(string baseUri, string token) => $"{baseUri.TrimEnd('/')}/requests/{token}";

    public static void MapCredentialRequestEndpoints(this RouteGroupBuilder team)
    {
        var requests = team.MapGroup("/credential-requests").WithTags("Credential requests");
        requests.MapPost("/", async (HttpContext http, CredentialRequestService service, CancellationToken ct) =>
            {
                var baseUri = UriHelper.BuildAbsolute(http.Request.Scheme, http.Request.Host, http.Request.PathBase);
                return (await ApiJson.ReadAsync<CreateCredentialRequest>(http.Request, ct)
                        .ThenAsync(body => service.CreateAsync(http.Actor(), body, ct)))
                    .ToCreated(c => $"{http.Request.Path}/{c.View.Request.Id}", c =>
                    {
                        var r = CredentialRequestResponse.From(c.View);
                        return new CredentialRequestCreatedResponse(r.Id, r.TeamId, r.Status, LinkFor(baseUri, c.Token), r.ExpiresAt, r.Views,
                            r.MaxViews, r.RequireSignIn, r.SecretId, r.Name, r.SecretType, r.AuthMethod, r.Note, r.CreatedAt, r.CreatedBy);
                    });
            })
            .AcceptsJson<CreateCredentialRequest>()
            .ProducesErrors(ApiErrors.ForbiddenRole, ApiErrors.TierLimitReached, ApiErrors.NameConflict)
            .WithName("createCredentialRequest")
            .WithSummary("Ask someone outside the team for a direct secret's credential by link (the link is in this answer only)");

        requests.MapGet("/", async (HttpContext http, CredentialRequestService service, CancellationToken ct) =>
                (await service.ListAsync(http.Actor(), ct)).ToOk(list => list.Select(CredentialRequestResponse.From).ToList()))
            .ProducesErrors(ApiErrors.ForbiddenRole)
            .WithName("listCredentialRequests")
            .WithSummary("List the team's credential requests with their status (never their links)");

        requests.MapGet("/{id:guid}", async (Guid id, HttpContext http, CredentialRequestService service, CancellationToken ct) =>
                (await service.GetAsync(http.Actor(), id, ct)).ToOk(CredentialRequestResponse.From))
            .ProducesErrors(ApiErrors.ForbiddenRole)
            .WithName("getCredentialRequest")
            .WithSummary("Get a credential request and its status");

        requests.MapDelete("/{id:guid}", async (Guid id, HttpContext http, CredentialRequestService service, CancellationToken ct) =>
                (await service.RevokeAsync(http.Actor(), id, ct)).ToNoContent())
            .ProducesErrors(ApiErrors.ForbiddenRole)
            .WithName("revokeCredentialRequest")
            .WithSummary("Revoke a credential request: its link no longer opens");
    }

    /// <summary>The holder's side, without an API key: the link's token is the permission, limited per client address.</summary>
    public static void MapPublicCredentialRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var link = app.MapGroup(PublicRoute + "/{token}").WithTags("Credential requests").AllowAnonymous().DisableAntiforgery()
            .RequireRateLimiting(RateLimits.CredentialRequest)
            .ProducesErrors(ApiErrors.Unauthenticated, ApiErrors.NotFound, ApiErrors.RequestClosed, ApiErrors.RateLimited);

        link.MapGet("/", async (string token, HttpContext http, CredentialRequestService service, CancellationToken ct) =>
                (await service.OpenAsync(token, VisitorOf(http), ct)).ToOk(o =>
                    new CredentialRequestOpenedResponse(o.TeamName, o.RequestedBy, o.Note, o.SecretType, o.AuthMethod, o.Fields, o.ExpiresAt)))
            .WithName("openCredentialRequest")
            .WithSummary("Open a credential request's link (counts a view): who asks, the note and the fields to fill");

        link.MapPost("/", async (string token, HttpContext http, CredentialRequestService service, CancellationToken ct) =>
            {
                var result = await ApiJson.ReadAsync<FulfilCredentialRequestBody>(http.Request, ct)
                    .ThenAsync(body => service.FulfilAsync(token, body.Credentials, VisitorOf(http), ct));
                // No location: the secret is the team's, not the link holder's to read.
                return result.IsSuccess
                    ? (Results<Created<CredentialRequestFulfilledResponse>, ApiProblem>)TypedResults.Created((string?)null,
                        new CredentialRequestFulfilledResponse("fulfilled", result.Value!.SecretId))
                    : result.Problem!.ToResult();
            })
            .AcceptsJson<FulfilCredentialRequestBody>()
            .ProducesErrors(ApiErrors.TierLimitReached, ApiErrors.NameConflict)
            .WithName("fulfilCredentialRequest")
            .WithSummary("Submit the requested credential once: it is stored write-only and the link closes");
    }

    private static LinkVisitor VisitorOf(HttpContext http) =>
        new(http.Connection.RemoteIpAddress?.ToString(),
            Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId) && http.User.FindFirstValue(PortalClaims.ApiKeyId) is null
                ? userId : null);
}
