using System.Net.Http.Json;
using Bunit;
using Dataraven.Core.Audit;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Secrets;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Secrets;

/// <summary>
/// A bunit context for the secrets pages backed by a real portal: each DI scope the page opens gets a
/// scope of the portal, so the page's Core calls reach the real services and SQLite database.
/// </summary>
internal static class PortalComponents
{
    public static BunitContext NewContext(TestPortal? portal = null)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(TimeProvider.System);
        if (portal is not null)
        {
            ctx.Services.AddScoped(_ => new PortalScope(portal.Services.CreateAsyncScope()));
            Bridge<SecretService>(ctx.Services);
            Bridge<TierLimits>(ctx.Services);
            Bridge<TeamService>(ctx.Services);
            Bridge<AuditLog>(ctx.Services);
            Bridge<VaultConnectionService>(ctx.Services);
            Bridge<VaultBrowseService>(ctx.Services);
            Bridge<SecretHealthService>(ctx.Services);
            Bridge<Dataraven.Core.Trash.TrashService>(ctx.Services);
        }
        return ctx;
    }

    public static PortalContext OwnerContext(TeamFixture team, string tier = "pro")
    {
        var membership = new Membership(team.TeamId, "Acme", tier, TeamRole.Owner);
        return new PortalContext(team.OwnerId, team.OwnerEmail, [membership], membership);
    }

    /// <summary>A connection saved unverified through the API (the editor only needs its vault type).</summary>
    public static async Task<Guid> CreateConnectionAsync(TestPortal portal, TeamFixture team, string vaultType, string name)
    {
        var body = ProviderFakes.ValidBody(vaultType, name);
        body["verify"] = false;
        using var client = portal.CreateClient(team.OwnerKey);
        using var response = await client.PostAsJsonAsync($"/v1/teams/{team.TeamId}/vault-connections", body);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        return Guid.Parse(created!["id"].ToString()!);
    }

    private static void Bridge<T>(IServiceCollection services) where T : class =>
        services.AddScoped(sp => sp.GetRequiredService<PortalScope>().Scope.ServiceProvider.GetRequiredService<T>());

    private sealed class PortalScope(AsyncServiceScope scope) : IAsyncDisposable
    {
        public AsyncServiceScope Scope { get; } = scope;

        public ValueTask DisposeAsync() => Scope.DisposeAsync();
    }
}
