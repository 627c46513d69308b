using Scalar.AspNetCore;

namespace Dataraven.Portal.Api.OpenApi;

/// <summary>The OpenAPI document of /v1, generated from the endpoints' metadata, and the API reference page over it.</summary>
public static class PortalOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-docs";

    public static IServiceCollection AddPortalOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<ApiDocumentTransformer>();
            o.AddOperationTransformer<PathParametersTransformer>();
            o.AddOperationTransformer<ProblemResponsesTransformer>();
            o.AddSchemaTransformer<CatalogEnumTransformer>();
        });

    public static void MapPortalOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        // The page and its script come from the portal itself (Scalar.AspNetCore embeds them): it works offline.
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("DataRaven Portal API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(DocumentName)
                // Nothing of the page reaches outside the portal: no web fonts, telemetry or hosted agent.
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent())
            .AllowAnonymous();
    }
}
