using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;
using Humanizer;
using MudBlazor;

namespace Dataraven.Portal.Components.Pages.Secrets;

/// <summary>How check statuses and expiry dates read and look on the secrets pages.</summary>
public static class CheckDisplay
{
    public static string Label(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "OK",
        CheckStatus.Missing => "Missing",
        CheckStatus.Rejected => "Rejected",
        CheckStatus.Expired => "Expired",
        CheckStatus.Unreachable => "Unreachable",
        CheckStatus.RateLimited => "Rate limited",
        CheckStatus.Misconfigured => "Misconfigured",
        _ => "Not checked",
    };

    public static Color ColorOf(CheckStatus status) => status switch
    {
        CheckStatus.Ok => Color.Success,
        CheckStatus.Unchecked => Color.Default,
        CheckStatus.RateLimited or CheckStatus.Unreachable => Color.Warning,
        _ => Color.Error,
    };

    public static string IconOf(CheckStatus status) => status switch
    {
        CheckStatus.Ok => Icons.Material.Filled.CheckCircle,
        CheckStatus.Unchecked => Icons.Material.Filled.HelpOutline,
        CheckStatus.RateLimited => Icons.Material.Filled.HourglassTop,
        CheckStatus.Unreachable => Icons.Material.Filled.CloudOff,
        _ => Icons.Material.Filled.Error,
    };

    /// <summary>"expires in 6 days", "expired 2 hours ago": rounded, so 5 days and 23 hours reads as 6 days.</summary>
    public static string Expiry(DateTime expiresAt, DateTime now) => expiresAt > now
        ? $"expires in {Rounded(expiresAt - now).Humanize(precision: 1, minUnit: TimeUnit.Minute)}"
        : $"expired {Rounded(now - expiresAt).Humanize(precision: 1, minUnit: TimeUnit.Minute)} ago";

    private static TimeSpan Rounded(TimeSpan span) =>
        span >= TimeSpan.FromDays(1) ? TimeSpan.FromDays(Math.Round(span.TotalDays))
        : span >= TimeSpan.FromHours(1) ? TimeSpan.FromHours(Math.Round(span.TotalHours))
        : TimeSpan.FromMinutes(Math.Round(span.TotalMinutes));

    public static Color ColorOf(ExpiryWarning warning) => warning switch
    {
        ExpiryWarning.None => Color.Default,
        ExpiryWarning.Within30Days => Color.Info,
        ExpiryWarning.Within7Days => Color.Warning,
        _ => Color.Error,
    };

    public static string Capability(bool? allowed) => allowed switch
    {
        true => "yes",
        false => "no",
        null => "unknown",
    };
}
