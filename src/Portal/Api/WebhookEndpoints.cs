using Dataraven.Core.Notifications;
using Dataraven.Portal.Auth;
using Dataraven.Core.Notifications.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dataraven.Portal.Api;

/// <summary>A webhook as its team sees it: never its secret (that is in the creation's answer only).</summary>
public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTime CreatedAt)
{
    public static WebhookResponse From(Webhook w) => new(w.Id, w.Url, w.Events, w.Description, w.CreatedAt);
}

public sealed record WebhookCreatedResponse(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, string Secret, DateTime CreatedAt);

public sealed record WebhookTestQueuedResponse(Guid EventId, string Type, string Status);

public sealed record WebhookDeliveryResponse(
    Guid Id, string Event, int Attempt, int? StatusCode, string? Error, DateTime CreatedAt, DateTime? DeliveredAt, string Status)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) =>
        new(d.Id, d.Event, d.Attempt, d.StatusCode, d.Error, d.CreatedAt, d.DeliveredAt, d.Status.ToString().ToLowerInvariant());
}

public static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this RouteGroupBuilder team)
    {
        var webhooks = team.MapGroup("/webhooks").WithTags("Notifications").ProducesErrors(ApiErrors.ForbiddenRole);

        webhooks.MapPost("/", async (HttpContext http, WebhookService service, CancellationToken ct) =>
                (await ApiJson.ReadAsync<CreateWebhookRequest>(http.Request, ct).ThenAsync(body => service.CreateAsync(http.Actor(), body, ct)))
                .ToCreated(c => $"{http.Request.Path}/{c.Webhook.Id}", c =>
                    new WebhookCreatedResponse(c.Webhook.Id, c.Webhook.Url, c.Webhook.Events, c.Webhook.Description, c.Secret, c.Webhook.CreatedAt)))
            .AcceptsJson<CreateWebhookRequest>()
            .ProducesErrors(ApiErrors.ValidationFailed)
            .WithName("createWebhook")
            .WithSummary("Add a webhook: its signing secret (whsec_...) is in this answer only");

        webhooks.MapGet("/", async (HttpContext http, WebhookService service, CancellationToken ct) =>
                (await service.ListAsync(http.Actor(), ct)).ToOk(list => list.Select(WebhookResponse.From).ToList()))
            .WithName("listWebhooks")
            .WithSummary("List the team's webhooks (never their secrets)");

        webhooks.MapDelete("/{id:guid}", async (Guid id, HttpContext http, WebhookService service, CancellationToken ct) =>
                (await service.DeleteAsync(http.Actor(), id, ct)).ToNoContent())
            .WithName("deleteWebhook")
            .WithSummary("Delete a webhook and its delivery history");

        webhooks.MapPost("/{id:guid}/test", async (Guid id, HttpContext http, WebhookService service, CancellationToken ct) =>
            {
                var result = await service.TestAsync(http.Actor(), id, ct);
                return result.IsSuccess
                    ? (Results<Accepted<WebhookTestQueuedResponse>, ApiProblem>)TypedResults.Accepted(DeliveriesOf(http.Request.Path),
                        new WebhookTestQueuedResponse(result.Value!.EventId, NotificationEventTypes.WebhookTest, "queued"))
                    : result.Problem!.ToResult();
            })
            .WithName("testWebhook")
            .WithSummary("Queue a webhook.test event for this webhook; its delivery shows in the deliveries");

        webhooks.MapGet("/{id:guid}/deliveries", async (Guid id, HttpContext http, WebhookService service, CancellationToken ct) =>
                (await service.DeliveriesAsync(http.Actor(), id, ct)).ToOk(list => list.Select(WebhookDeliveryResponse.From).ToList()))
            .WithName("listWebhookDeliveries")
            .WithSummary("The webhook's last 100 deliveries, newest first: event, attempts, last status code or error");
    }

    /// <summary>Where the queued test's delivery shows: <c>.../webhooks/{id}/deliveries</c>.</summary>
    private static string DeliveriesOf(PathString testPath)
    {
        var path = testPath.Value ?? "";
        return path[..path.LastIndexOf('/')] + "/deliveries";
    }
}
