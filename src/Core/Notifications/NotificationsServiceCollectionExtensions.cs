using Dataraven.Core.Notifications.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dataraven.Core.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>The outbox seam, the expiry pass, webhooks and their dispatcher (<c>Webhooks:*</c>).</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebhooksOptions>(configuration.GetSection(WebhooksOptions.Section));
        services.AddSingleton<NotificationSignal>();
        services.AddScoped<INotificationEvents, NotificationEvents>();
        services.AddScoped<NotificationEmails>();
        services.AddScoped<NotificationEmailPreferences>();
        services.AddScoped<ExpiryNotices>();
        services.AddScoped<WebhookService>();
        services.TryAddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        return services;
    }
}
