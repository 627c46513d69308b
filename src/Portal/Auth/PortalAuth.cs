using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Dataraven.Portal.Auth;

public static class PortalAuth
{
    public static IServiceCollection AddPortalAuth(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/not-allowed";
                o.Cookie.Name = "dataraven.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request is HTTPS, directly or through a trusted proxy (ProxyHeaders).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                // Signing in on the login page redirects to its ReturnUrl as given; keep it local and escaped.
                o.Events.OnRedirectToReturnUrl = context =>
                {
                    context.Response.Redirect(ReturnUrls.LocalOrRoot(context.RedirectUri));
                    return Task.CompletedTask;
                };
            }));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddIdentityCore<PortalUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                // No lockout after failed passwords: anyone who knows an Owner's email could lock them out at will.
                // Guessing is throttled per client address instead (RateLimits).
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager<PortalSignInManager>()
            .AddDefaultTokenProviders();
        services.AddSingleton<ThrowawayPasswordHash>();
        // Password reset links (and Identity's other data-protection tokens) are valid one hour; a reset changes the
        // security stamp, which ends the link's use.
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(1));
        services.Configure<IdentityPasskeyOptions>(o => o.ValidateOrigin = PasskeyOrigin.IsThisPortal);
        return services;
    }

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (HttpContext http, SignInManager<PortalUser> signIn, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).DisableAntiforgery().ExcludeFromDescription();
        app.MapPasskeyEndpoints();
    }
}
