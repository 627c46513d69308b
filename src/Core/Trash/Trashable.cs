using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Trash;

/// <summary>
/// A record that a delete moves to the team's trash instead of removing: it keeps its row and its stored credential,
/// and every query but the trash's own ignores it (a global query filter on <see cref="DeletedAt"/>).
/// </summary>
public interface ITrashable : INamedTeamRecord
{
    DateTime? DeletedAt { get; set; }
    Guid? DeletedBy { get; set; }
    DateTime? PurgeAt { get; set; }
}

/// <summary>The section <c>Retention</c>: how long the trash keeps what was deleted, and how often the purge pass looks.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary><c>Retention:DeletedDays</c>: days from a delete to its purge (default 30).</summary>
    public int DeletedDays { get; set; } = 30;

    /// <summary><c>Retention:PurgeIntervalMinutes</c>: how often the background pass purges what is past its date (default 60).</summary>
    public int PurgeIntervalMinutes { get; set; } = 60;

    /// <summary><c>Retention:PurgeEnabled</c>: whether the background pass runs (default true; tests drive passes themselves).</summary>
    public bool PurgeEnabled { get; set; } = true;

    internal TimeSpan Retention => TimeSpan.FromDays(Math.Clamp(DeletedDays, 0, 3650));

    internal TimeSpan PurgeInterval => TimeSpan.FromMinutes(Math.Clamp(PurgeIntervalMinutes, 1, 7 * 24 * 60));
}

/// <summary>Stamps a record into the trash and out of it again: the one place its trash fields are set.</summary>
public sealed class TrashStamps(TimeProvider time, IOptions<RetentionOptions> options)
{
    public void MoveToTrash(ITrashable record, TeamActor actor)
    {
        var now = Clock.UtcNow(time);
        record.DeletedAt = now;
        record.DeletedBy = actor.UserId;
        record.PurgeAt = now + options.Value.Retention;
    }

    public static void TakeOutOfTrash(ITrashable record)
    {
        record.DeletedAt = null;
        record.DeletedBy = null;
        record.PurgeAt = null;
    }
}
