using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Checks.Storage;

/// <summary>
/// Picks the probe for a secret's auth method (by its catalog fields), bounds it with <c>Checks:ProbeTimeoutSeconds</c>,
/// turns anything unexpected into a status, and sanitizes every message against the credential values.
/// </summary>
public sealed class StorageProbes(IEnumerable<IStorageProbe> probes, IOptions<ChecksOptions> options, ILogger<StorageProbes> logger)
{
    private readonly IReadOnlyList<IStorageProbe> _probes = [.. probes];

    public IStorageProbe? Find(string secretType, string authMethod) =>
        SecretCatalog.FindAuthMethod(secretType, authMethod) is { } method
            ? _probes.FirstOrDefault(p => p.Fields.SetEquals(method.FieldNames))
            : null;

    public async Task<StorageCheck> ProbeAsync(string secretType, string authMethod, IReadOnlyDictionary<string, string> values,
        CheckTarget target, CancellationToken ct)
    {
        if (Find(secretType, authMethod) is not { } probe)
        {
            return StorageCheck.NotChecked($"No storage check exists for {secretType}/{authMethod}.");
        }

        var timeout = options.Value.ProbeTimeout;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        StorageCheck check;
        try
        {
            check = await probe.ProbeAsync(secretType, values, target, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            check = new StorageCheck(CheckStatus.Unreachable, StorageCapabilities.Unknown,
                $"The storage service did not answer within {timeout.TotalSeconds:0.##} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A probe must not throw; if an SDK does anyway, report it without its stack (the type says enough to look further).
            check = new StorageCheck(CheckStatus.Unreachable, StorageCapabilities.Unknown, $"The storage check failed ({ex.GetType().Name}): {ex.Message}");
        }

        check = check with { Message = check.Message is null ? null : ProviderMessages.Sanitize(check.Message, probe.SecretsOf(values)) };
        logger.Log(check.Status == CheckStatus.Ok ? LogLevel.Information : LogLevel.Warning,
            "Storage check of {SecretType}: {Status}: {Message}", secretType, check.Status.ToWire(), check.Message ?? "ok");
        return check;
    }
}
