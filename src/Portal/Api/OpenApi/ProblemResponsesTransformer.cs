using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dataraven.Portal.Api.OpenApi;

/// <summary>
/// Each declared error status becomes an application/problem+json response whose <c>code</c> lists exactly the
/// codes the endpoint can answer with at that status, with the extra members those codes carry.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var errors = context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemResponseMetadata>().Select(m => m.Error).Distinct();
        operation.Responses ??= [];
        foreach (var status in errors.GroupBy(e => e.Status))
        {
            var codes = status.Select(e => e.Code).ToList();
            operation.Responses[status.Key.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = string.Join(" or ", codes),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemResponseMetadata.ContentType] = new() { Schema = SchemaOf(codes) },
                },
            };
        }
        return Task.CompletedTask;
    }

    /// <summary>The members <see cref="ApiProblems.ToResult(Core.Common.Problem)"/> writes for these codes.</summary>
    private static OpenApiSchema SchemaOf(IReadOnlyCollection<string> codes)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["code"] = EnumOf(codes),
        };
        if (codes.Contains(ApiErrors.ValidationFailed.Code))
        {
            properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Messages by request field (snake_case, e.g. access_token, field_mappings[1].reference).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }
        if (codes.Contains(ApiErrors.TierLimitReached.Code))
        {
            properties["tier"] = EnumOf(ApiEnumValues.Tiers());
            properties["resource"] = EnumOf(ApiEnumValues.LimitedResources());
            properties["limit"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" };
            properties["current"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" };
            properties["upgrade_url"] = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        if (codes.Contains(ApiErrors.InUse.Code))
        {
            properties["secrets"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "The secrets that still use the connection.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                        ["name"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            };
        }
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "type", "title", "status", "code" },
            Properties = properties,
        };
    }

    private static OpenApiSchema EnumOf(IEnumerable<string> values) =>
        new() { Type = JsonSchemaType.String, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList() };
}
