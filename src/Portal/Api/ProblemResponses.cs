using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Dataraven.Portal.Api;

/// <summary>An endpoint may answer with this error, as problem+json. ApiExplorer and the OpenAPI document read it.</summary>
public sealed record ProblemResponseMetadata(ApiError Error) : IProducesResponseTypeMetadata
{
    public const string ContentType = "application/problem+json";

    public Type? Type => typeof(ProblemDetails);
    public int StatusCode => Error.Status;
    public string? Description => Error.Code;
    public IEnumerable<string> ContentTypes => [ContentType];
}

public static class ProblemResponseConventions
{
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params ApiError[] errors) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(errors.Select(e => (object)new ProblemResponseMetadata(e)).ToArray());

    /// <summary>A JSON body read by <see cref="ApiJson.ReadAsync{T}"/>, which answers 400 and 413 itself.</summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) where T : notnull =>
        builder.Accepts<T>("application/json").ProducesErrors(ApiErrors.ValidationFailed, ApiErrors.PayloadTooLarge, ApiErrors.UnsupportedMediaType);
}
