using System.Security.Cryptography;
using System.Text;

namespace Dataraven.Core.Notifications.Webhooks;

/// <summary>Standard Webhooks signing: <c>v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))</c>, the key being the secret's bytes.</summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(KeyOf(secret), Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
