namespace Dataraven.Core.Checks.Storage;

/// <summary>
/// A side-effect-free check of credential values against one kind of storage service. Never throws for the service's
/// answer; messages may still hold raw service text: <see cref="StorageProbes"/> sanitizes them against the values.
/// </summary>
public interface IStorageProbe
{
    /// <summary>The credential fields it reads: it serves every auth method of the catalog with exactly these fields.</summary>
    IReadOnlySet<string> Fields { get; }

    /// <summary>What must never appear in a message: by default every value; a probe whose value mixes public and secret parts narrows it.</summary>
    IEnumerable<string> SecretsOf(IReadOnlyDictionary<string, string> values) => values.Values;

    Task<StorageCheck> ProbeAsync(string secretType, IReadOnlyDictionary<string, string> values, CheckTarget target, CancellationToken ct);
}
