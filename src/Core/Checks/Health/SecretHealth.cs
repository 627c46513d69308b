using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dataraven.Core.Checks.Health;

/// <summary>
/// A secret's last check and where checks look, stored in the secret's own row. Holds no value: statuses, lengths,
/// fingerprints, messages, and the non-secret check target (bucket, endpoint, region).
/// </summary>
public sealed class SecretHealth
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public CheckStatus Status { get; set; } = CheckStatus.Unchecked;
    public DateTime? CheckedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public CheckStatus? ErrorClass { get; set; }

    /// <summary>The last <see cref="SecretCheck"/> as JSON, so the UI can show each field's result after a reload.</summary>
    public string? LastCheckJson { get; set; }

    public string? TargetBucket { get; set; }
    public string? TargetEndpointUrl { get; set; }
    public string? TargetRegion { get; set; }

    public CheckTarget Target() => new(TargetBucket, TargetEndpointUrl, TargetRegion);

    public void Remember(CheckTarget target)
    {
        TargetBucket = target.Bucket;
        TargetEndpointUrl = target.EndpointUrl;
        TargetRegion = target.Region;
    }

    public void Record(SecretCheck check)
    {
        Status = check.Status;
        CheckedAt = check.CheckedAt;
        ExpiresAt = check.ExpiresAt;
        ErrorClass = check.ErrorClass;
        LastCheckJson = JsonSerializer.Serialize(check, Json);
    }

    public SecretCheck? LastCheck() => LastCheckJson is null ? null : JsonSerializer.Deserialize<SecretCheck>(LastCheckJson, Json);
}
