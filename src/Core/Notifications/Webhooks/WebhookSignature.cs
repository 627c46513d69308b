using StandardWebhooks;

namespace Dataraven.Core.Notifications.Webhooks;

/// <summary>Standard Webhooks signing (the StandardWebhooks package): <c>v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))</c>, the key being the secret's bytes.</summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static string Sign(string secret, string messageId, long timestamp, string body) =>
        new StandardWebhook(secret).Sign(messageId, DateTimeOffset.FromUnixTimeSeconds(timestamp), body);
}
