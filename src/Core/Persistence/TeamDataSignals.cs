using System.Collections.Concurrent;

namespace Dataraven.Core.Persistence;

/// <summary>
/// What this process has heard of other instances' writes: on PostgreSQL a trigger on <c>teams."DataVersion"</c>
/// notifies <see cref="Channel"/> when a team's data changes (any instance, any command), and
/// <see cref="PostgresTeamDataListener"/> counts those notifications here. A version read while the channel was open
/// stays current until a notification for its team arrives or the channel drops.
/// <para>
/// Without a listener (SQLite, or while the channel is down) no stamp is ever current, so readers fall back to
/// reading the version from the database.
/// </para>
/// </summary>
public sealed class TeamDataSignals
{
    public const string Channel = "dataraven_team_data";

    private readonly ConcurrentDictionary<Guid, long> _changes = new();
    private long _epoch;
    private volatile bool _listening;

    /// <summary>What was known when a version was read: compare it with <see cref="IsCurrent"/> later.</summary>
    public readonly record struct Stamp(long Epoch, long Changes, bool Listening);

    /// <summary>Take it BEFORE reading the version: a notification in between makes the stamp stale, never the reverse.</summary>
    public Stamp Take(Guid teamId) => new(Interlocked.Read(ref _epoch), _changes.GetValueOrDefault(teamId), _listening);

    /// <summary>True when the channel was open at <paramref name="stamp"/>, still is, and nothing for the team came since.</summary>
    public bool IsCurrent(Guid teamId, Stamp stamp) =>
        stamp.Listening && _listening && stamp.Epoch == Interlocked.Read(ref _epoch) && stamp.Changes == _changes.GetValueOrDefault(teamId);

    public bool Listening => _listening;

    /// <summary>The channel is open (LISTEN answered): stamps taken from now on may be trusted.</summary>
    public void Opened()
    {
        Interlocked.Increment(ref _epoch);
        _listening = true;
    }

    /// <summary>The channel dropped: notifications may have been missed, so no stamp is current any more.</summary>
    public void Dropped()
    {
        _listening = false;
        Interlocked.Increment(ref _epoch);
    }

    public void Changed(Guid teamId) => _changes.AddOrUpdate(teamId, 1, (_, n) => n + 1);

    /// <summary>A notification whose payload is not a team id: treat every team as changed.</summary>
    public void ChangedAll() => Interlocked.Increment(ref _epoch);
}
