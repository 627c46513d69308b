using System.Text.Json;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;

namespace Dataraven.Core.Audit;

/// <summary>
/// Writes audit events. <see cref="Add"/> only stages the event in the context, so the save that commits the change
/// commits the event too, in the same transaction (a rolled-back change leaves no event).
/// <see cref="RecordAsync"/> saves an event on its own, for attempts that changed nothing (refused for role,
/// limit or provider reasons).
/// </summary>
public sealed class AuditTrail(PortalDbContext db, TimeProvider time)
{
    private const int MaxName = 320;

    private static readonly JsonSerializerOptions DetailsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public AuditEvent Add(TeamActor actor, string action, AuditTarget target, AuditOutcome outcome = AuditOutcome.Succeeded,
        object? details = null)
    {
        var e = new AuditEvent
        {
            Id = Guid.NewGuid(),
            TeamId = actor.TeamId,
            At = Clock.UtcNow(time),
            ActorType = actor.ActorType,
            ActorId = actor.ActorId,
            ActorName = actor.ActorName ?? "",
            Via = actor.Via.ToString().ToLowerInvariant(),
            Action = action,
            TargetType = target.Type,
            TargetId = target.Id,
            // A refused create names what was asked for, before validation: keep it within the column.
            TargetName = target.Name is { Length: > MaxName } tooLong ? tooLong[..MaxName] : target.Name,
            Outcome = outcome == AuditOutcome.Succeeded ? "succeeded" : "failed",
            Details = details is null ? null : JsonSerializer.Serialize(details, DetailsJson),
            Ip = actor.Ip,
        };
        db.AuditEvents.Add(e);
        return e;
    }

    /// <summary>Saves a failed attempt's event alone, outside any change (the change was refused before anything was written).</summary>
    public async Task RecordAsync(TeamActor actor, string action, AuditTarget target, AuditOutcome outcome, object? details,
        CancellationToken ct = default)
    {
        var e = Add(actor, action, target, outcome, details);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.Entry(e).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
        }
    }

    /// <summary>
    /// Returns <paramref name="problem"/>, first recording the attempt as failed (details: its code) when it is a
    /// refusal: role, tier limit or provider. Validation failures, 404s and conflicts record nothing: they change
    /// nothing and often name no existing target.
    /// </summary>
    public async Task<Problem> RefusedAsync(TeamActor actor, string action, AuditTarget target, Problem problem, CancellationToken ct = default)
    {
        if (problem is ForbiddenRoleProblem or TierLimitProblem or ProviderRejectedProblem or ProviderUnreachableProblem)
        {
            await RecordAsync(actor, action, target, AuditOutcome.Failed, new { code = problem.Code }, ct);
        }
        return problem;
    }
}
