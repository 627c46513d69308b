using Dataraven.Core.Common;

namespace Dataraven.Portal.Api;

/// <summary>The lists' <c>?expiring_within_days=N</c>: absent, or 0-3650 (else 400 naming the parameter).</summary>
public static class ExpiringFilter
{
    public static Result<int?> Parse(string? value) =>
        CredentialExpiry.TryParseWithinDays(value, out var days, out var error)
            ? days
            : ValidationProblem.For(CredentialExpiry.WithinDaysField, error!);
}
