using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Common;

/// <summary>A record that belongs to one team (what <see cref="Teams.TeamAccess"/> loads).</summary>
public interface ITeamRecord
{
    Guid Id { get; }
    Guid TeamId { get; }
}

/// <summary>A record whose name is unique per team, case-insensitively (vault connections, secrets).</summary>
public interface INamedTeamRecord : ITeamRecord
{
    string Name { get; set; }
    string NameNormalized { get; set; }
    string? Description { get; set; }
}

public static class Names
{
    /// <summary>The form used for per-team case-insensitive uniqueness (a unique index holds it).</summary>
    public static string Normalize(string name) => name.Trim().ToUpperInvariant();

    /// <summary>A description as stored: trimmed, and blank means none.</summary>
    public static string? Description(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static void Rename(this INamedTeamRecord record, string name)
    {
        record.Name = name.Trim();
        record.NameNormalized = Normalize(name);
    }

    /// <summary>Whether another record of the team (not <paramref name="except"/>) has this name in any case.</summary>
    public static Task<bool> NameTakenAsync<T>(this IQueryable<T> records, Guid teamId, string name, Guid? except, CancellationToken ct)
        where T : class, INamedTeamRecord
    {
        var normalized = Normalize(name);
        return records.AnyAsync(r => r.TeamId == teamId && r.NameNormalized == normalized && r.Id != except, ct);
    }

    /// <summary>
    /// Applies a PATCH's <c>name</c> and <c>description</c> (null means unchanged) to <paramref name="record"/>,
    /// or answers 409 when the new name is taken in the team.
    /// </summary>
    public static async Task<Problem?> ApplyNameAndDescriptionAsync<T>(this IQueryable<T> records, T record, string? name,
        string? description, CancellationToken ct) where T : class, INamedTeamRecord
    {
        if (name is not null)
        {
            if (await records.NameTakenAsync(record.TeamId, name, record.Id, ct))
            {
                return new NameConflictProblem(name.Trim());
            }
            record.Rename(name);
        }
        if (description is not null)
        {
            record.Description = Description(description);
        }
        return null;
    }
}
