using Dataraven.Core;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Portal.Api;
using Dataraven.Portal.Api.OpenApi;
using Dataraven.Portal.Auth;
using Dataraven.Portal.Components;
using Dataraven.Portal.Health;
using Dataraven.Portal.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Services;

namespace Dataraven.Portal.Hosting;

public static class PortalApp
{
    /// <summary>Builds the portal. Tests pass <paramref name="configure"/> to override configuration or services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null,
        Action<IServiceCollection>? overrideServices = null, bool logToStdErr = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(PortalApp).Assembly.GetName().Name,
            ContentRootPath = ContentRoot.For(args),
        });
        var root = builder.Environment.ContentRootPath;
        builder.WebHost.UseStaticWebAssets();
        if (logToStdErr)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        configure?.Invoke(builder);

        builder.Services.AddDataravenCore(builder.Configuration, root);
        builder.Services.AddPortalAuth();
        builder.Services.AddPortalRateLimits(builder.Configuration);
        builder.Services.AddProxyHeaders(builder.Configuration);
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft);
        builder.Services.AddScoped<PortalSession>();
        builder.Services.AddScoped<ClientAddress>();
        builder.Services.AddSingleton<TeamListCache>();
        builder.Services.AddPortalOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddDataProtection()
            .SetApplicationName("DataRaven.Portal")
            .PersistKeysWithPortalDatabase(builder.Configuration,
                Path.GetFullPath(Path.Combine(root, builder.Configuration["DataProtection:KeysPath"] ?? "data/keys")));
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddSingleton<CheckScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CheckScheduler>());
        builder.Services.AddPortalHealthChecks();
        overrideServices?.Invoke(builder.Services);

        var app = builder.Build();
        // First: everything after it (HTTPS, client address, limits, cookies) sees the request as the client sent it.
        app.UseForwardedHeaders();
        // HSTS only over HTTPS and never for localhost (the middleware's own rules).
        app.UseHsts();
        app.UseSecurityHeaders(PortalOpenApi.ReferencePath);
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (context.Request.Path.StartsWithSegments("/v1"))
            {
                await ApiProblems.FromException(error ?? new InvalidOperationException()).ToResult().ExecuteAsync(context);
                return;
            }
            context.Response.Redirect("/error");
        }));
        // Bodiless error statuses: problem+json for the API, the friendly page for people.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1"),
            api => api.UseStatusCodePages(c => ApiProblems.ForStatus(c.HttpContext.Response.StatusCode).ToResult().ExecuteAsync(c.HttpContext)));
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/v1"), pages => pages.UseStatusCodePagesWithReExecute("/not-found"));
        app.UseMiddleware<FirstRunRedirect>();
        // Explicitly after the status-code pages, so their re-execution is routed again.
        app.UseRouting();
        app.UseAuthentication();
        // After routing (named policies are endpoint metadata) and before authorization, so a refused request costs nothing more.
        app.UsePortalRateLimits();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapPortalHealth();
        app.MapPortalOpenApi();
        var team = app.MapGroup("/v1/teams/{team_id}").RequireTeamActor().DisableAntiforgery()
            .ProducesErrors(ApiErrors.Unauthenticated, ApiErrors.NotFound, ApiErrors.RateLimited);
        team.MapTeamEndpoints();
        team.MapInvitationEndpoints();
        team.MapVaultConnectionEndpoints();
        team.MapSecretEndpoints();
        team.MapAuditEndpoints();
        app.MapAccountEndpoints();
        app.MapActivityExport();
        // frame-ancestors is part of the portal's own policy (SecurityHeaders); Blazor's separate header would only repeat it.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.MigrateAsync(ct);
        await db.UseWriteAheadLogAsync(ct);
    }
}

/// <summary>Applies migrations before the server takes requests.</summary>
public sealed class DatabaseMigrator(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

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
