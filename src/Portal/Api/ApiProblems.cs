using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Microsoft.AspNetCore.Mvc;

namespace Dataraven.Portal.Api;

/// <summary>The one place business problems become HTTP: status codes and problem+json bodies with a <c>code</c>.</summary>
public static class ApiProblems
{
    public const string UpgradeUrl = "/plan";

    public static int StatusOf(Problem problem) => problem switch
    {
        ValidationProblem => StatusCodes.Status400BadRequest,
        NotFoundProblem => StatusCodes.Status404NotFound,
        ForbiddenRoleProblem or TierLimitProblem => StatusCodes.Status403Forbidden,
        NameConflictProblem or InUseProblem => StatusCodes.Status409Conflict,
        PayloadTooLargeProblem => StatusCodes.Status413PayloadTooLarge,
        UnsupportedMediaTypeProblem => StatusCodes.Status415UnsupportedMediaType,
        ProviderRejectedProblem => StatusCodes.Status422UnprocessableEntity,
        ProviderUnreachableProblem => StatusCodes.Status502BadGateway,
        UnauthenticatedProblem => StatusCodes.Status401Unauthorized,
        MethodNotAllowedProblem => StatusCodes.Status405MethodNotAllowed,
        _ => StatusCodes.Status500InternalServerError,
    };

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
        return Results.Json(details, ApiJson.Options, "application/problem+json", details.Status);
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

    private sealed class CreatedJson<T>(string location, T body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return Results.Json(body, ApiJson.Options, statusCode: 201).ExecuteAsync(httpContext);
        }
    }
}

public sealed record UnauthenticatedProblem()
    : Problem("unauthenticated", "A valid API key is required: Authorization: Bearer dr_<key_id>_<secret>.");

public sealed record MethodNotAllowedProblem() : Problem("method_not_allowed", "This endpoint does not accept that HTTP method.");

public sealed record InternalProblem() : Problem("internal_error", "Something went wrong on our side. Nothing was changed.");
