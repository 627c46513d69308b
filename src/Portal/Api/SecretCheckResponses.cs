using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;

namespace Dataraven.Portal.Api;

/// <summary>A secret's health on <c>GET /secrets</c> and <c>/{id}</c>: <c>unchecked</c> and nulls before the first check.</summary>
public sealed record SecretHealthResponse(string Status, DateTime? CheckedAt, DateTime? ExpiresAt)
{
    public static SecretHealthResponse From(HealthView health) => new(health.Status.ToWire(), health.CheckedAt, health.ExpiresAt);
}

public sealed record FieldCheckResponse(string FieldName, string Status, int? Length, string? Fingerprint, string? Message);

public sealed record StorageCapabilitiesResponse(bool? List, bool? Read, bool? Write);

public sealed record StorageCheckResponse(string Status, StorageCapabilitiesResponse Capabilities, string? Message);

/// <summary>The answer of <c>POST /secrets/{id}/check</c>: statuses, lengths and fingerprints, never a value.</summary>
public sealed record SecretCheckResponse(
    string Status, DateTime CheckedAt, IReadOnlyList<FieldCheckResponse> Fields, StorageCheckResponse Storage,
    DateTime? ExpiresAt, string? ErrorClass)
{
    public static SecretCheckResponse From(SecretCheck c) => new(
        c.Status.ToWire(), c.CheckedAt,
        c.Fields.Select(f => new FieldCheckResponse(f.FieldName, f.Status.ToWire(), f.Length, f.Fingerprint, f.Message)).ToList(),
        new StorageCheckResponse(c.Storage.Status.ToWire(),
            new StorageCapabilitiesResponse(c.Storage.Capabilities.List, c.Storage.Capabilities.Read, c.Storage.Capabilities.Write),
            c.Storage.Message),
        c.ExpiresAt, c.ErrorClass?.ToWire());
}
