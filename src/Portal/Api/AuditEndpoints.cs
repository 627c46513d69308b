using System.Text.Json;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using Dataraven.Portal.Auth;
using Dataraven.Portal.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Dataraven.Portal.Api;

public sealed record AuditActorResponse(string Type, Guid? Id, string Name);

public sealed record AuditTargetResponse(string Type, Guid? Id, string? Name);

/// <summary>One audit event as DESIGN.md ("Audit events") shows it; <c>details</c> is a JSON object of names and statuses.</summary>
public sealed record AuditEventResponse(
    Guid Id, Guid TeamId, DateTime At, AuditActorResponse Actor, string Via, string Action, AuditTargetResponse Target,
    string Outcome, JsonElement? Details, string? Ip)
{
    public static AuditEventResponse From(AuditEvent e) => new(
        e.Id, e.TeamId, e.At, new AuditActorResponse(e.ActorType, e.ActorId, e.ActorName), e.Via, e.Action,
        new AuditTargetResponse(e.TargetType, e.TargetId, e.TargetName), e.Outcome,
        e.Details is null ? null : JsonDocument.Parse(e.Details).RootElement.Clone(), e.Ip);
}

/// <summary>A page of events, newest first; <c>next_cursor</c> is null after the last page.</summary>
public sealed record AuditEventPageResponse(IReadOnlyList<AuditEventResponse> Items, string? NextCursor);

/// <summary>The filters of both audit endpoints, as query parameters (strings, so that a bad one is a 400 naming it).</summary>
public sealed class AuditFilterParameters
{
    [FromQuery(Name = "action")] public string? Action { get; init; }
    [FromQuery(Name = "target_id")] public string? TargetId { get; init; }
    [FromQuery(Name = "actor_id")] public string? ActorId { get; init; }
    [FromQuery(Name = "from")] public string? From { get; init; }
    [FromQuery(Name = "to")] public string? To { get; init; }
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }
    [FromQuery(Name = "limit")] public string? Limit { get; init; }

    public Result<AuditQuery> Parse() => AuditQuery.Parse(name => name switch
    {
        "action" => Action,
        "target_id" => TargetId,
        "actor_id" => ActorId,
        "from" => From,
        "to" => To,
        "cursor" => Cursor,
        "limit" => Limit,
        _ => null,
    });
}

public static class AuditEndpoints
{
    public const string ActivityExportPath = "/activity/export.csv";

    /// <summary>Read-only: events are append-only, so no route edits or deletes them (other methods answer 405).</summary>
    public static void MapAuditEndpoints(this RouteGroupBuilder team)
    {
        var group = team.MapGroup("/audit-events").WithTags("Audit events");

        group.MapGet("/", async Task<Results<Ok<AuditEventPageResponse>, ApiProblem>> (HttpContext http, [AsParameters] AuditFilterParameters filters,
                AuditLog log, CancellationToken ct) =>
            {
                var query = filters.Parse();
                if (!query.IsSuccess)
                {
                    return query.Problem!.ToResult();
                }
                var page = await log.ListAsync(http.Actor(), query.Value!, ct);
                return TypedResults.Ok(new AuditEventPageResponse(page.Items.Select(AuditEventResponse.From).ToList(), page.NextCursor));
            })
            .ProducesErrors(ApiErrors.ValidationFailed)
            .WithName("listAuditEvents")
            .WithSummary("List the team's audit events, newest first: filter by action, target, actor and time (from and to inclusive); " +
                         "limit 1-200 (default 50); pass next_cursor as cursor for the next page");

        team.MapGet("/audit-events.csv", (HttpContext http, [AsParameters] AuditFilterParameters filters, AuditLog log) =>
                AuditCsv.Result(log, http.Actor(), filters.Parse(), "audit-events.csv"))
            .WithTags("Audit events")
            // A stream declares no content type of its own.
            .Produces(StatusCodes.Status200OK, contentType: AuditCsv.ContentType)
            .ProducesErrors(ApiErrors.ValidationFailed)
            .WithName("exportAuditEvents")
            .WithSummary("Every audit event matching the filters as CSV (RFC 4180, header row), newest first; cursor and limit are ignored");
    }

    /// <summary>The Activity page's export: the same CSV for the signed-in member's current team, with the page's filters.</summary>
    public static void MapActivityExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(ActivityExportPath, async Task<Results<PushStreamHttpResult, ApiProblem>> (HttpContext http, [AsParameters] AuditFilterParameters filters,
                [FromQuery(Name = "q")] string? search, PortalSession session, AuditLog log) =>
            {
                if (await session.LoadAsync(http.User) is not { Actor: { } actor })
                {
                    return new NotFoundProblem("team").ToResult();
                }
                var parsed = filters.Parse();
                return AuditCsv.Result(log, actor, parsed.IsSuccess ? parsed.Value! with { Search = search, After = null } : parsed.Problem!, "activity.csv");
            })
            .RequireAuthorization()
            .ExcludeFromDescription();
    }
}
