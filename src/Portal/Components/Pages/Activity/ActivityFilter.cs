using Dataraven.Core.Audit;
using Microsoft.AspNetCore.WebUtilities;

namespace Dataraven.Portal.Components.Pages.Activity;

/// <summary>What the Activity page's filters hold, as a query for the log and as the export link's query string.</summary>
public sealed class ActivityFilter
{
    public string? Search { get; set; }
    public string? Action { get; set; }
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
    public Guid? TargetId { get; set; }
    public string? TargetName { get; set; }

    public bool IsEmpty => Search is null && Action is null && From is null && To is null && TargetId is null;

    /// <summary>Dates are whole UTC days: from the start of From to the end of To.</summary>
    public AuditQuery ToQuery(int limit, AuditCursor? after = null) => new()
    {
        Search = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim(),
        Action = Action,
        TargetId = TargetId,
        From = From is { } from ? DateTime.SpecifyKind(from.Date, DateTimeKind.Utc) : null,
        To = To is { } to ? DateTime.SpecifyKind(to.Date.AddDays(1).AddTicks(-1), DateTimeKind.Utc) : null,
        After = after,
        Limit = limit,
    };

    public string ExportHref()
    {
        var query = ToQuery(AuditQuery.DefaultLimit);
        var values = new Dictionary<string, string?>
        {
            ["q"] = query.Search,
            ["action"] = query.Action,
            ["target_id"] = query.TargetId?.ToString(),
            ["from"] = query.From?.ToString("O"),
            ["to"] = query.To?.ToString("O"),
        };
        return QueryHelpers.AddQueryString(Api.AuditEndpoints.ActivityExportPath, values.Where(v => v.Value is not null));
    }
}
