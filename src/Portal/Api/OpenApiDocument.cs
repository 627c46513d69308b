using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace Dataraven.Portal.Api;

/// <summary>
/// The OpenAPI 3.0 document for /v1, built from the endpoints' own metadata (Accepts, Produces, summaries, tags).
/// Written here because Microsoft.AspNetCore.OpenApi 9 cannot be restored from this package source (README).
/// </summary>
public static class OpenApiDocument
{
    /// <summary>Allowed values of string properties, e.g. secret types read from the catalog: (type, C# property) -> values.</summary>
    public static readonly Dictionary<(Type Type, string Property), Func<IEnumerable<string>>> EnumValues = new();

    public static void MapOpenApiDocument(this IEndpointRouteBuilder app, string pattern) =>
        app.MapGet(pattern, (IApiDescriptionGroupCollectionProvider provider) =>
            Results.Text(Build(provider).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "application/json"))
        .AllowAnonymous().ExcludeFromDescription();

    public static JsonObject Build(IApiDescriptionGroupCollectionProvider provider)
    {
        var schemas = new JsonObject();
        var paths = new JsonObject();
        var descriptions = provider.ApiDescriptionGroups.Items.SelectMany(g => g.Items)
            .Where(d => d.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true)
            .OrderBy(d => d.RelativePath, StringComparer.Ordinal);
        foreach (var d in descriptions)
        {
            var path = "/" + d.RelativePath!.TrimEnd('/');
            if (paths[path] is not JsonObject item)
            {
                item = new JsonObject();
                paths[path] = item;
            }
            var metadata = d.ActionDescriptor.EndpointMetadata;
            var operation = new JsonObject
            {
                ["summary"] = metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault()?.Summary ?? "",
                ["tags"] = new JsonArray(metadata.OfType<ITagsMetadata>().SelectMany(t => t.Tags).Distinct().Select(t => (JsonNode)t!).ToArray()),
                ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            };
            var parameters = new JsonArray();
            foreach (var name in RouteParameters(path))
            {
                parameters.Add(new JsonObject
                {
                    ["name"] = name, ["in"] = "path", ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
                });
            }
            operation["parameters"] = parameters;
            var accepts = metadata.OfType<IAcceptsMetadata>().LastOrDefault();
            if (accepts?.RequestType is { } requestType)
            {
                operation["requestBody"] = new JsonObject
                {
                    ["required"] = true,
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaOf(requestType, schemas) } },
                };
            }
            var responses = new JsonObject();
            foreach (var produces in metadata.OfType<IProducesResponseTypeMetadata>())
            {
                var response = new JsonObject { ["description"] = Describe(produces.StatusCode) };
                if (produces.Type is { } t && t != typeof(void))
                {
                    response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaOf(t, schemas) } };
                }
                responses[produces.StatusCode.ToString()] = response;
            }
            foreach (var status in new[] { 400, 401, 403, 404 })
            {
                responses[status.ToString()] ??= new JsonObject
                {
                    ["description"] = Describe(status),
                    ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
                };
            }
            operation["responses"] = responses;
            item[d.HttpMethod!.ToLowerInvariant()] = operation;
        }
        schemas["Problem"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["type"] = "string" },
                ["title"] = new JsonObject { ["type"] = "string" },
                ["status"] = new JsonObject { ["type"] = "integer" },
                ["code"] = new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray("validation_failed", "unauthenticated", "forbidden_role", "tier_limit_reached", "not_found",
                        "name_conflict", "in_use", "payload_too_large", "provider_rejected", "provider_unreachable"),
                },
                ["errors"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } },
            },
        };
        return new JsonObject
        {
            ["openapi"] = "3.0.1",
            ["info"] = new JsonObject
            {
                ["title"] = "DataRaven Portal API",
                ["version"] = "v1",
                ["description"] = "Vault connections, secrets, API keys and plan usage. Credentials are write-only: no endpoint returns them.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = "dr_<key_id>_<secret>" },
                },
            },
        };
    }

    private static IEnumerable<string> RouteParameters(string path) =>
        path.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1].Split(':')[0]);

    private static string Describe(int status) => status switch
    {
        200 => "OK", 201 => "Created", 204 => "No content", 400 => "validation_failed", 401 => "unauthenticated",
        403 => "forbidden_role or tier_limit_reached", 404 => "not_found", 409 => "name_conflict or in_use",
        422 => "provider_rejected", 502 => "provider_unreachable", _ => status.ToString(),
    };

    private static JsonNode SchemaOf(Type type, JsonObject schemas)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return new JsonObject { ["type"] = "string" };
        if (type == typeof(Guid)) return new JsonObject { ["type"] = "string", ["format"] = "uuid" };
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        if (type == typeof(bool)) return new JsonObject { ["type"] = "boolean" };
        if (type == typeof(int) || type == typeof(long)) return new JsonObject { ["type"] = "integer" };
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var def &&
            (def == typeof(Dictionary<,>) || def == typeof(IReadOnlyDictionary<,>) || def == typeof(IDictionary<,>)))
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = SchemaOf(type.GetGenericArguments()[1], schemas) };
        }
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? typeof(object);
            return new JsonObject { ["type"] = "array", ["items"] = SchemaOf(element, schemas) };
        }
        if (type == typeof(object)) return new JsonObject();

        if (!schemas.ContainsKey(type.Name))
        {
            schemas[type.Name] = null; // placeholder against recursion
            var properties = new JsonObject();
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                var schema = SchemaOf(p.PropertyType, schemas);
                if (EnumValues.TryGetValue((type, p.Name), out var values) && schema is JsonObject o)
                {
                    o["enum"] = new JsonArray(values().Select(v => (JsonNode)v!).ToArray());
                }
                properties[JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)] = schema;
            }
            schemas[type.Name] = new JsonObject { ["type"] = "object", ["properties"] = properties };
        }
        return new JsonObject { ["$ref"] = $"#/components/schemas/{type.Name}" };
    }
}
