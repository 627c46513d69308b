using Dataraven.Core;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Persistence;
using Dataraven.Portal.Api;
using Dataraven.Portal.Api.OpenApi;
using Dataraven.Portal.Auth;
using Dataraven.Portal.Components;
using Dataraven.Portal.Health;
using Dataraven.Portal.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using MudBlazor;
using MudBlazor.Services;

namespace Dataraven.Portal.Hosting;

/// <summary>The portal's host, in the order Program.cs calls it: options, services, middleware, endpoints.</summary>
public static class PortalHost
{
    public static string ApplicationName { get; } = typeof(PortalHost).Assembly.GetName().Name!;

    /// <summary>The application name (static web assets, data protection) and the content root (<see cref="ContentRoot"/>).</summary>
    public static WebApplicationOptions Options(string[] args) =>
        new() { Args = args, ApplicationName = ApplicationName, ContentRootPath = ContentRoot.For(args) };

    /// <summary>What the server and the CLI commands share: Core as configured, Identity, data protection.</summary>
    public static TBuilder AddPortalServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var root = builder.Environment.ContentRootPath;
        builder.Services.AddDataravenCore(builder.Configuration, root);
        builder.Services.AddPortalAuth();
        builder.Services.AddDataProtection()
            .SetApplicationName("DataRaven.Portal")
            .PersistKeysWithPortalDatabase(builder.Configuration,
                Path.GetFullPath(Path.Combine(root, builder.Configuration["DataProtection:KeysPath"] ?? "data/keys")));
        return builder;
    }

    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        // Package files (MudBlazor's) from the build output outside Development too; a publish has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.AddPortalServices();
        builder.Services.AddPortalRateLimits(builder.Configuration);
        builder.Services.AddTokenPathRedaction();
        builder.Services.AddProxyHeaders(builder.Configuration);
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft);
        builder.Services.AddScoped<PortalSession>();
        builder.Services.AddScoped<ClientAddress>();
        builder.Services.AddSingleton<TeamListCache>();
        builder.Services.AddPortalOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddSingleton<CheckScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CheckScheduler>());
        builder.Services.AddSingleton<Dataraven.Core.Trash.TrashPurger>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Dataraven.Core.Trash.TrashPurger>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Dataraven.Core.Notifications.Webhooks.WebhookDispatcher>());
        builder.Services.AddPortalHealthChecks();
        builder.Services.AddSingleton<Email.OutboxSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Email.OutboxSender>());
        return builder;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
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
        return app;
    }

    /// <summary>The <c>/v1</c> API and its OpenAPI document and reference.</summary>
    public static WebApplication MapPortalApi(this WebApplication app)
    {
        app.MapPortalOpenApi();
        app.MapTeamApi();
        app.MapPublicCredentialRequestEndpoints();
        return app;
    }

    /// <summary>Static files, health, the pages and the endpoints they post to.</summary>
    public static WebApplication MapPortalPages(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapPortalHealth();
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
