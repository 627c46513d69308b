namespace Dataraven.Core.Checks.Storage;

/// <summary>
/// Where an S3-compatible secret is checked: the target's <c>endpoint_url</c>, else the type's public endpoint where it has
/// one (<c>s3</c> → AWS or <c>Storage:S3:ServiceUrl</c>; some need the region), else nothing and a message that says to
/// give <c>endpoint_url</c>.
/// </summary>
public static class S3Endpoints
{
    /// <summary><see cref="Url"/> null with no <see cref="Problem"/> means AWS itself (region endpoint).</summary>
    public sealed record Endpoint(string? Url, string Region, string? Problem = null);

    private const string DefaultRegion = "us-east-1";

    /// <summary>Public endpoints by secret type; <c>{region}</c> is filled from the target's region.</summary>
    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["wasabi"] = "https://s3.{region}.wasabisys.com",
        ["digitalocean_spaces"] = "https://{region}.digitaloceanspaces.com",
        ["hetzner"] = "https://{region}.your-objectstorage.com",
        ["tigris"] = "https://fly.storage.tigris.dev",
    };

    private static readonly Dictionary<string, string> Hints = new()
    {
        ["r2"] = "Cloudflare R2 needs your account id: give endpoint_url https://<account_id>.r2.cloudflarestorage.com.",
        ["oracle_object_storage_s3"] = "Oracle needs your namespace and region: give endpoint_url https://<namespace>.compat.objectstorage.<region>.oraclecloud.com.",
        ["digitalocean_spaces"] = "DigitalOcean Spaces needs a region (e.g. nyc3) or endpoint_url https://<region>.digitaloceanspaces.com.",
        ["hetzner"] = "Hetzner needs a region (e.g. fsn1) or endpoint_url https://<region>.your-objectstorage.com.",
    };

    public static Endpoint Resolve(string secretType, CheckTarget target, string? s3ServiceUrl)
    {
        var region = string.IsNullOrWhiteSpace(target.Region) ? (secretType == "r2" ? "auto" : DefaultRegion) : target.Region.Trim();
        if (!string.IsNullOrWhiteSpace(target.EndpointUrl)) return Checked(target.EndpointUrl.Trim(), region);

        if (secretType == "s3")
        {
            return string.IsNullOrWhiteSpace(s3ServiceUrl) ? new Endpoint(null, region) : Checked(s3ServiceUrl, region);
        }
        if (Defaults.TryGetValue(secretType, out var template) && (!string.IsNullOrWhiteSpace(target.Region) || !Hints.ContainsKey(secretType)))
        {
            return Checked(template.Replace("{region}", region, StringComparison.Ordinal), region);
        }
        return new Endpoint(null, region, Hints.GetValueOrDefault(secretType)
            ?? "This storage type has no default endpoint: give endpoint_url (the provider's S3 API URL).");
    }

    private static Endpoint Checked(string url, string region) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && string.IsNullOrEmpty(uri.Query)
            ? new Endpoint(uri.GetLeftPart(UriPartial.Path), region)
            : new Endpoint(null, region, "endpoint_url must be an absolute https:// URL without a query.");
}
