using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dataraven.Portal.Api.OpenApi;

/// <summary>Title, the API key scheme that every /v1 operation requires, and UUID path parameters.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string Scheme = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "DataRaven Portal API",
            Version = PortalOpenApi.DocumentName,
            Description = "Vault connections, secrets, API keys and plan usage of one team. " +
                          "Credentials are write-only: no endpoint returns them.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "dr_<key_id>_<secret>",
            Description = "An API key of the team: Authorization: Bearer dr_<key_id>_<secret>.",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] };
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            operation.Security = [requirement];
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Path) ?? [])
            {
                // Every id in the API is a UUID; the handlers take strings so that a malformed one is a 404, not a 400.
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" };
            }
        }
        return Task.CompletedTask;
    }
}
