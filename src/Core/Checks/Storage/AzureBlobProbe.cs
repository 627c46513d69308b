using System.Net;
using Azure;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Checks.Storage;

/// <summary>What the Azure probes share: the endpoint rule, client options bounded by the probe timeout, error classes.</summary>
public sealed class AzureBlobEndpoints(IOptions<StorageOptions> storage, IOptions<ChecksOptions> checks)
{
    /// <summary>The target's <c>endpoint_url</c>, else <c>Storage:Azure:ServiceUrl</c>, else null (the public endpoint).</summary>
    public Uri? Override(CheckTarget target)
    {
        var configured = !string.IsNullOrWhiteSpace(target.EndpointUrl) ? target.EndpointUrl : storage.Value.Azure.ServiceUrl;
        return string.IsNullOrWhiteSpace(configured) ? null
            : Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri
            : throw new UriFormatException("endpoint_url must be an absolute https:// URL.");
    }

    public BlobClientOptions ClientOptions() => new()
    {
        Retry = { MaxRetries = 1, NetworkTimeout = checks.Value.ProbeTimeout, Mode = RetryMode.Fixed, Delay = TimeSpan.FromMilliseconds(200) },
    };

    public static StorageCheck Classify(RequestFailedException ex, StorageCapabilities capabilities, DateTime? expiresAt, string? container)
    {
        var code = ex.ErrorCode ?? "";
        var said = $"({(string.IsNullOrEmpty(code) ? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : code)}): {FirstLine(ex.Message)}";
        StorageCheck Fail(CheckStatus status, string message) => new(status, capabilities, message, expiresAt);
        if (ex.Status == 0) return Fail(CheckStatus.Unreachable, $"Azure Blob Storage could not be reached: {FirstLine(ex.InnerException?.Message ?? ex.Message)}");
        if (ex.Message.Contains("Signed expiry time", StringComparison.OrdinalIgnoreCase)) return Fail(CheckStatus.Expired, $"The SAS has expired {said}");
        return (ex.Status, code) switch
        {
            (_, "AuthenticationFailed") => Fail(CheckStatus.Rejected, $"Azure refused the signature: the key is wrong, or the key that signed the SAS was rotated {said}"),
            (_, "AuthorizationPermissionMismatch" or "AuthorizationResourceTypeMismatch" or "AuthorizationServiceMismatch") =>
                Fail(CheckStatus.Rejected, $"Azure accepted the signature but this credential may not do that {said}"),
            (_, "ContainerNotFound") => Fail(CheckStatus.Misconfigured, $"Container {container} does not exist in this account {said}"),
            (_, "ServerBusy") or (429, _) => Fail(CheckStatus.RateLimited, $"Azure asks to slow down {said}"),
            (403 or 401, _) => Fail(CheckStatus.Rejected, $"Azure refused the credential {said}"),
            (404, _) => Fail(CheckStatus.Misconfigured, $"Nothing at this address: check the account name or endpoint_url {said}"),
            ( >= 500, _) => Fail(CheckStatus.Unreachable, $"Azure Blob Storage failed {said}"),
            _ => Fail(CheckStatus.Misconfigured, $"Azure refused the request: check the account name or endpoint_url {said}"),
        };
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>An account name and key: the key must be base64 of 64 bytes (checked locally), then Get Account Information.</summary>
public sealed class AzureAccountKeyProbe(AzureBlobEndpoints endpoints) : IStorageProbe
{
    public IReadOnlySet<string> Fields { get; } = new HashSet<string> { "account_name", "account_key" };

    public async Task<StorageCheck> ProbeAsync(string secretType, IReadOnlyDictionary<string, string> values, CheckTarget target, CancellationToken ct)
    {
        var name = values["account_name"].Trim();
        var key = values["account_key"].Trim();
        var buffer = new byte[64];
        if (!Convert.TryFromBase64String(key, buffer, out var written) || written != 64)
        {
            return new StorageCheck(CheckStatus.Rejected, StorageCapabilities.Unknown,
                "This is not a storage account key: an account key is the base64 of 64 bytes (88 characters ending in ==).");
        }

        Uri endpoint;
        try
        {
            endpoint = endpoints.Override(target) ?? new Uri($"https://{name}.blob.core.windows.net");
        }
        catch (UriFormatException ex)
        {
            return new StorageCheck(CheckStatus.Misconfigured, StorageCapabilities.Unknown, ex.Message);
        }

        var client = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(name, key), endpoints.ClientOptions());
        try
        {
            await client.GetAccountInfoAsync(ct).ConfigureAwait(false);
            // An account key may do everything in its account.
            return new StorageCheck(CheckStatus.Ok, new StorageCapabilities(true, true, true));
        }
        catch (RequestFailedException ex)
        {
            return AzureBlobEndpoints.Classify(ex, StorageCapabilities.Unknown, null, null);
        }
    }
}

/// <summary>
/// A SAS URL: <c>se</c> (expiry) and <c>sp</c> (permissions) read locally, then one call the SAS allows: list one blob of a
/// container SAS with list permission, else Get Account Information (service or container), else a blob's properties.
/// </summary>
public sealed class AzureSasProbe(AzureBlobEndpoints endpoints, TimeProvider clock) : IStorageProbe
{
    public IReadOnlySet<string> Fields { get; } = new HashSet<string> { "sas_url" };

    public async Task<StorageCheck> ProbeAsync(string secretType, IReadOnlyDictionary<string, string> values, CheckTarget target, CancellationToken ct)
    {
        if (!Uri.TryCreate(values["sas_url"].Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return new StorageCheck(CheckStatus.Rejected, StorageCapabilities.Unknown, "The SAS URL is not an absolute https:// URL.");
        }
        var parts = new BlobUriBuilder(url);
        var sas = parts.Sas;
        if (sas is null || string.IsNullOrEmpty(sas.Signature))
        {
            return new StorageCheck(CheckStatus.Rejected, StorageCapabilities.Unknown, "The URL has no SAS signature (sig=).");
        }

        var permissions = sas.Permissions ?? "";
        var capabilities = new StorageCapabilities(
            List: permissions.Contains('l'),
            Read: permissions.Contains('r'),
            Write: permissions.Contains('w') || permissions.Contains('c') || permissions.Contains('a'));
        DateTime? expiresAt = sas.ExpiresOn == default ? null : sas.ExpiresOn.UtcDateTime;
        var now = clock.GetUtcNow();
        if (expiresAt is { } expiry && expiry <= now.UtcDateTime)
        {
            return new StorageCheck(CheckStatus.Expired, capabilities, $"The SAS expired at {expiry:yyyy-MM-dd HH:mm} UTC: generate a new one.", expiresAt);
        }
        if (sas.StartsOn != default && sas.StartsOn > now)
        {
            return new StorageCheck(CheckStatus.Rejected, capabilities, $"The SAS is not valid before {sas.StartsOn.UtcDateTime:yyyy-MM-dd HH:mm} UTC.", expiresAt);
        }

        Uri address;
        try
        {
            address = endpoints.Override(target) is { } service ? Rebase(service, parts) : url;
        }
        catch (UriFormatException ex)
        {
            return new StorageCheck(CheckStatus.Misconfigured, capabilities, ex.Message, expiresAt);
        }

        var options = endpoints.ClientOptions();
        try
        {
            if (!string.IsNullOrEmpty(parts.BlobName))
            {
                await new BlobClient(address, options).GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false);
            }
            else if (!string.IsNullOrEmpty(parts.BlobContainerName))
            {
                var container = new BlobContainerClient(address, options);
                if (capabilities.List == true)
                {
                    await foreach (var _ in container.GetBlobsAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).ConfigureAwait(false)) break;
                }
                else
                {
                    await container.GetAccountInfoAsync(ct).ConfigureAwait(false);
                }
            }
            else
            {
                await new BlobServiceClient(address, options).GetAccountInfoAsync(ct).ConfigureAwait(false);
            }
            return new StorageCheck(CheckStatus.Ok, capabilities, null, expiresAt);
        }
        catch (RequestFailedException ex)
        {
            return AzureBlobEndpoints.Classify(ex, capabilities, expiresAt, parts.BlobContainerName);
        }
    }

    /// <summary>The SAS's container/blob path and query under another blob endpoint (a private cloud, Azurite).</summary>
    private static Uri Rebase(Uri service, BlobUriBuilder parts)
    {
        var path = string.Join('/', new[] { parts.BlobContainerName, parts.BlobName }.Where(p => !string.IsNullOrEmpty(p)).Select(Uri.EscapeDataString));
        var builder = new UriBuilder(service) { Query = parts.Sas.ToString() };
        builder.Path = builder.Path.TrimEnd('/') + (path.Length == 0 ? "/" : "/" + path);
        return builder.Uri;
    }
}
