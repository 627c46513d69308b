using CsvHelper;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dataraven.Portal.Api;

/// <summary>
/// Audit events as CSV: RFC 4180 quoting, one header row, and text that a spreadsheet would run as a formula
/// (starting with = + - @, tab or CR) prefixed with ' so it shows as text. Streamed: no export is held in memory.
/// </summary>
public static class AuditCsv
{
    public const string ContentType = "text/csv";

    public static readonly string[] Header =
        ["id", "at", "actor_type", "actor_id", "actor_name", "via", "action", "target_type", "target_id", "target_name", "outcome", "details", "ip"];

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    /// <summary>The events of <paramref name="query"/> as a CSV download, or the problem that the query has.</summary>
    public static Results<PushStreamHttpResult, ApiProblem> Result(AuditLog log, TeamActor actor, Result<AuditQuery> query, string fileName) =>
        query.IsSuccess
            ? TypedResults.Stream(stream => WriteAsync(stream, log.StreamAsync(actor, query.Value!)), $"{ContentType}; charset=utf-8", fileName)
            : query.Problem!.ToResult();

    public static async Task WriteAsync(Stream stream, IAsyncEnumerable<AuditEvent> events, CancellationToken ct = default)
    {
        await using var csv = CsvWriter.Create(stream, Options, leaveOpen: true);
        csv.WriteHeader(Header);
        await foreach (var e in events.WithCancellation(ct))
        {
            csv.WriteField(e.Id.ToString());
            csv.WriteField(e.At, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
            csv.WriteField(e.ActorType);
            csv.WriteField(e.ActorId?.ToString());
            csv.WriteField(e.ActorName);
            csv.WriteField(e.Via);
            csv.WriteField(e.Action);
            csv.WriteField(e.TargetType);
            csv.WriteField(e.TargetId?.ToString());
            csv.WriteField(e.TargetName);
            csv.WriteField(e.Outcome);
            csv.WriteField(e.Details);
            csv.WriteField(e.Ip);
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }
}
