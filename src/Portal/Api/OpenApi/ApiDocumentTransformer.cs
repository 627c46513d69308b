using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dataraven.Portal.Api.OpenApi;

/// <summary>Title, tags, the server, and the API key scheme that every /v1 operation requires.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string Scheme = "bearer";

    private static readonly Dictionary<string, string> Tags = new()
    {
        ["API keys"] = "Keys of the team, each with a role; a key is shown once, when it is created.",
        ["Plan"] = "The team's tier, its limits and current usage.",
        ["Invitations"] = "Invitations by email to join the team with a role.",
        ["Vault connections"] = "Connections to vault providers; their credentials are write-only.",
        ["Secrets"] = "Secrets: direct credentials (write-only) or references into a vault connection, and their checks.",
        ["Audit events"] = "What was done in the team, by whom and how: append-only, newest first, also as CSV.",
    };

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
        }
        document.Tags = Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }).ToHashSet();
        // The server is where the document was fetched; a trailing slash would double the one every path starts with.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        // Errors are described inline, per operation, with exactly their codes (ProblemResponsesTransformer).
        document.Components.Schemas?.Remove(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails));
        return Task.CompletedTask;
    }
}
