using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Microsoft.AspNetCore.Http.HttpResults;
using ValidationProblem = Dataraven.Core.Common.ValidationProblem;
using Microsoft.AspNetCore.Mvc;

namespace Dataraven.Portal.Api;

/// <summary>A problem as the API answers it: problem+json with a <c>code</c>, and Retry-After where the problem says when.</summary>
public sealed class ApiProblem(Problem problem) : IResult, IStatusCodeHttpResult
{
    public Problem Problem { get; } = problem;

    public int? StatusCode => ApiProblems.StatusOf(Problem);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (Problem is ProviderBusyProblem { RetryAfter: var busy })
        {
            httpContext.Response.Headers.RetryAfter = ApiProblems.RetryAfterSeconds(busy);
        }
        else if (Problem is RateLimitedProblem { RetryAfter: var limited })
        {
            httpContext.Response.Headers.RetryAfter = ApiProblems.RetryAfterSeconds(limited);
        }
        var details = ApiProblems.DetailsOf(Problem);
        return Results.Json(details, ApiJson.Options, ProblemResponseMetadata.ContentType, details.Status).ExecuteAsync(httpContext);
    }
}

/// <summary>The one place business problems become HTTP: status codes and problem+json bodies with a <c>code</c>.</summary>
public static class ApiProblems
{
    public const string UpgradeUrl = "/plan";

    public static int StatusOf(Problem problem) => ApiErrors.Find(problem.Code)?.Status ?? StatusCodes.Status500InternalServerError;

    public static ApiProblem ToResult(this Problem problem) => new(problem);

    /// <summary>200 with the mapped value, or the problem.</summary>
    public static Results<Ok<TOut>, ApiProblem> ToOk<T, TOut>(this Result<T> result, Func<T, TOut> map) =>
        result.IsSuccess ? TypedResults.Ok(map(result.Value!)) : result.Problem!.ToResult();

    /// <summary>201 with the mapped value at the location <paramref name="locationOf"/> gives, or the problem.</summary>
    public static Results<Created<TOut>, ApiProblem> ToCreated<T, TOut>(this Result<T> result, Func<T, string> locationOf, Func<T, TOut> map) =>
        result.IsSuccess ? TypedResults.Created(locationOf(result.Value!), map(result.Value!)) : result.Problem!.ToResult();

    /// <summary>204, or the problem.</summary>
    public static Results<NoContent, ApiProblem> ToNoContent<T>(this Result<T> result) =>
        result.IsSuccess ? TypedResults.NoContent() : result.Problem!.ToResult();

    /// <summary>The next step on the value, or the problem it met first.</summary>
    public static async Task<Result<TOut>> ThenAsync<T, TOut>(this Task<Result<T>> first, Func<T, Task<Result<TOut>>> next)
    {
        var result = await first;
        return result.IsSuccess ? await next(result.Value!) : result.Problem!;
    }

    /// <summary>The problem+json body of <paramref name="problem"/>: status from the table, <c>code</c> and the members its kind carries.</summary>
    internal static ProblemDetails DetailsOf(Problem problem)
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
        return details;
    }

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
    // A vault secret cannot be restored while its connection is in the trash (DESIGN.md, soft delete).
    public static readonly ApiError VaultConnectionInTrash = new("vault_connection_in_trash", StatusCodes.Status409Conflict);
    // A link that no longer opens: an invitation accepted, revoked or expired; a credential request used up (DESIGN.md).
    public static readonly ApiError InvitationClosed = new("invitation_closed", StatusCodes.Status410Gone);
    public static readonly ApiError RequestClosed = new("request_closed", StatusCodes.Status410Gone);
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
        NameConflict, InUse, VaultConnectionInTrash, InvitationClosed, RequestClosed, PayloadTooLarge, UnsupportedMediaType, ProviderRejected, ProviderUnreachable,
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
