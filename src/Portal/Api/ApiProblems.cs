using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Microsoft.AspNetCore.Mvc;

namespace Dataraven.Portal.Api;

/// <summary>The one place business problems become HTTP: status codes and problem+json bodies with a <c>code</c>.</summary>
public static class ApiProblems
{
    public const string UpgradeUrl = "/plan";

    public static int StatusOf(Problem problem) => ApiErrors.Find(problem.Code)?.Status ?? StatusCodes.Status500InternalServerError;

    public static IResult ToResult(this Problem problem)
    {
        var details = new ProblemDetails
        {
            Status = StatusOf(problem),
            Title = problem.Message,
            Type = $"https://docs.dataraven.io/errors/{problem.Code}",
        };
        details.Extensions["code"] = problem.Code;
        switch (problem)
        {
            case ValidationProblem v:
                details.Extensions["errors"] = v.Errors;
                break;
            case TierLimitProblem t:
                details.Extensions["tier"] = t.Tier;
                details.Extensions["resource"] = t.Resource;
                details.Extensions["limit"] = t.Limit;
                details.Extensions["current"] = t.Current;
                details.Extensions["upgrade_url"] = UpgradeUrl;
                break;
            case InUseProblem u:
                details.Extensions["secrets"] = u.UsedBy.Select(s => new { id = s.Id, name = s.Name }).ToArray();
                break;
        }
        var json = Results.Json(details, ApiJson.Options, "application/problem+json", details.Status);
        return problem switch
        {
            ProviderBusyProblem b => new WithRetryAfter(json, b.RetryAfter),
            RateLimitedProblem r => new WithRetryAfter(json, r.RetryAfter),
            _ => json,
        };
    }

    public static IResult ToResult<T>(this Result<T> result, Func<T, IResult> onSuccess) =>
        result.IsSuccess ? onSuccess(result.Value!) : result.Problem!.ToResult();

    public static IResult Ok<T>(T body) => Results.Json(body, ApiJson.Options);

    public static IResult Created<T>(string location, T body) => new CreatedJson<T>(location, body);

    /// <summary>Unexpected failures: store outages become 502 provider_unreachable, anything else a 500 without details.</summary>
    public static Problem FromException(Exception e) => e switch
    {
        CredentialStoreUnavailableException s => new ProviderUnreachableProblem("The credential store is unavailable: " + s.Message),
        BadHttpRequestException { StatusCode: 413 } => new PayloadTooLargeProblem(),
        BadHttpRequestException => ValidationProblem.For("body", "The request could not be read."),
        _ => new InternalProblem(),
    };

    /// <summary>A problem for a status the framework set without a body (unknown route, wrong method).</summary>
    public static Problem ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => new UnauthenticatedProblem(),
        StatusCodes.Status404NotFound => new NotFoundProblem(),
        StatusCodes.Status405MethodNotAllowed => new MethodNotAllowedProblem(),
        StatusCodes.Status413PayloadTooLarge => new PayloadTooLargeProblem(),
        StatusCodes.Status415UnsupportedMediaType => new UnsupportedMediaTypeProblem(),
        StatusCodes.Status400BadRequest => ValidationProblem.For("body", "The request could not be read."),
        _ => new InternalProblem(),
    };

    /// <summary>Whole seconds, at least 1: a client that retries at once would only be refused again.</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class WithRetryAfter(IResult inner, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
            return inner.ExecuteAsync(httpContext);
        }
    }

    private sealed class CreatedJson<T>(string location, T body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return Results.Json(body, ApiJson.Options, statusCode: 201).ExecuteAsync(httpContext);
        }
    }
}

/// <summary>An error the API answers with: its machine-readable code and its HTTP status.</summary>
public sealed record ApiError(string Code, int Status);

/// <summary>
/// Every error code of the API and its status, in one table: <see cref="ApiProblems.StatusOf"/> answers with it
/// and the endpoints declare theirs from it, so the OpenAPI document lists exactly what the API sends.
/// </summary>
public static class ApiErrors
{
    public static readonly ApiError ValidationFailed = new("validation_failed", StatusCodes.Status400BadRequest);
    public static readonly ApiError Unauthenticated = new("unauthenticated", StatusCodes.Status401Unauthorized);
    public static readonly ApiError ForbiddenRole = new("forbidden_role", StatusCodes.Status403Forbidden);
    public static readonly ApiError TierLimitReached = new("tier_limit_reached", StatusCodes.Status403Forbidden);
    public static readonly ApiError NotFound = new("not_found", StatusCodes.Status404NotFound);
    public static readonly ApiError MethodNotAllowed = new("method_not_allowed", StatusCodes.Status405MethodNotAllowed);
    public static readonly ApiError NameConflict = new("name_conflict", StatusCodes.Status409Conflict);
    public static readonly ApiError InUse = new("in_use", StatusCodes.Status409Conflict);
    public static readonly ApiError PayloadTooLarge = new("payload_too_large", StatusCodes.Status413PayloadTooLarge);
    public static readonly ApiError UnsupportedMediaType = new("unsupported_media_type", StatusCodes.Status415UnsupportedMediaType);
    public static readonly ApiError ProviderRejected = new("provider_rejected", StatusCodes.Status422UnprocessableEntity);
    public static readonly ApiError ProviderUnreachable = new("provider_unreachable", StatusCodes.Status502BadGateway);
    public static readonly ApiError RateLimited = new("rate_limited", StatusCodes.Status429TooManyRequests);
    public static readonly ApiError ProviderBusy = new("provider_busy", StatusCodes.Status503ServiceUnavailable);
    public static readonly ApiError Internal = new("internal_error", StatusCodes.Status500InternalServerError);

    public static readonly IReadOnlyList<ApiError> All =
    [
        ValidationFailed, Unauthenticated, ForbiddenRole, TierLimitReached, NotFound, MethodNotAllowed,
        NameConflict, InUse, PayloadTooLarge, UnsupportedMediaType, ProviderRejected, ProviderUnreachable,
        RateLimited, ProviderBusy, Internal,
    ];

    public static ApiError? Find(string code) => All.FirstOrDefault(e => e.Code == code);
}

public sealed record UnauthenticatedProblem()
    : Problem("unauthenticated", "A valid API key is required: Authorization: Bearer dr_<key_id>_<secret>.");

public sealed record MethodNotAllowedProblem() : Problem("method_not_allowed", "This endpoint does not accept that HTTP method.");

public sealed record RateLimitedProblem(TimeSpan RetryAfter)
    : Problem("rate_limited", "Too many requests for this key or address; retry after the time in Retry-After.");

public sealed record InternalProblem() : Problem("internal_error", "Something went wrong on our side. Nothing was changed.");
