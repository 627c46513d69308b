using System.Text.RegularExpressions;
using Dataraven.Core.Common;
using FluentValidation;

namespace Dataraven.Core.Checks.Health;

/// <summary>
/// The optional body of <c>POST /v1/teams/{team_id}/secrets/{id}/check</c>: where the storage check looks. Given, it
/// replaces the target remembered on the secret; blank fields mean "none".
/// </summary>
public sealed class CheckSecretRequest
{
    public string? Bucket { get; set; }
    public string? EndpointUrl { get; set; }
    public string? Region { get; set; }

    public CheckTarget ToTarget() => new(Blank(Bucket), Blank(EndpointUrl), Blank(Region));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed partial class CheckSecretRequestValidator : AbstractValidator<CheckSecretRequest>
{
    public CheckSecretRequestValidator()
    {
        RuleFor(r => r.Bucket).Must(b => Blank(b) || BucketName().IsMatch(b!.Trim()))
            .WithMessage("Bucket must be a bucket or container name: 3 to 63 lowercase letters, digits, dots, hyphens or underscores, starting and ending with a letter or digit.")
            .OverridePropertyName("bucket");
        RuleFor(r => r.EndpointUrl).Must(u => Blank(u) || IsHttpUrl(u!.Trim()))
            .WithMessage("Endpoint URL must be an absolute http:// or https:// URL, e.g. https://s3.eu-central-1.wasabisys.com.")
            .OverridePropertyName("endpoint_url");
        RuleFor(r => r.Region).Must(r => Blank(r) || RegionSlug().IsMatch(r!.Trim()))
            .WithMessage("Region must be a region name of lowercase letters, digits and hyphens, e.g. us-east-1.")
            .OverridePropertyName("region");
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static bool IsHttpUrl(string value) =>
        value.Length <= 2048
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex RegionSlug();
}
