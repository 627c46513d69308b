using Dataraven.Core.Teams;
using Dataraven.Portal.Api.OpenApi;
using Dataraven.Portal.Health;

namespace Dataraven.Portal.Hosting;

/// <summary>On a fresh database every page leads to /setup, where the first team and its Owner are created.</summary>
public sealed class FirstRunRedirect(RequestDelegate next)
{
    private volatile bool _hasUsers;

    // TeamService is resolved only while no user exists: an InvokeAsync parameter would build it (and a DbContext) for every request.
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!_hasUsers && HttpMethods.IsGet(context.Request.Method) && !path.StartsWithSegments("/setup") && !PortalHealth.IsHealthPath(path) &&
            !path.StartsWithSegments("/v1") && !path.StartsWithSegments("/_framework") && !path.StartsWithSegments("/_content") &&
            !path.StartsWithSegments("/_blazor") && !path.StartsWithSegments("/openapi") && !path.StartsWithSegments(PortalOpenApi.ReferencePath) &&
            !Path.HasExtension(path.Value))
        {
            _hasUsers = await context.RequestServices.GetRequiredService<TeamService>().AnyUserExistsAsync(context.RequestAborted);
            if (!_hasUsers)
            {
                context.Response.Redirect("/setup");
                return;
            }
        }
        await next(context);
    }
}
