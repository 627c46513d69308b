using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dataraven.Portal.Api.OpenApi;

/// <summary>
/// Declares every <c>{param}</c> of the route as a required UUID path parameter. Handlers bind <c>id</c>; the team id
/// is read by the group's filter (<c>RequireTeamActor</c>), so no handler binds it and the generator alone would omit it.
/// </summary>
internal sealed partial class PathParametersTransformer : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["team_id"] = "The team's id: the team of the API key.",
        ["id"] = "The resource's id.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        var names = RouteParameter().Matches(context.Description.RelativePath ?? "").Select(m => m.Groups[1].Value).ToList();
        foreach (var (name, index) in names.Select((n, i) => (n, i)))
        {
            if (operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.In == ParameterLocation.Path && p.Name == name) is not { } parameter)
            {
                parameter = new OpenApiParameter { Name = name, In = ParameterLocation.Path };
                operation.Parameters.Insert(Math.Min(index, operation.Parameters.Count), parameter);
            }
            parameter.Required = true;
            // Every id in the API is a UUID: the routes' constraints accept nothing else.
            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" };
            parameter.Description ??= Descriptions.GetValueOrDefault(name);
        }
        return Task.CompletedTask;
    }

    /// <summary>The name of each <c>{name}</c>, <c>{name:constraint}</c> or <c>{*name}</c> of a route template.</summary>
    [GeneratedRegex(@"\{\**([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteParameter();
}
