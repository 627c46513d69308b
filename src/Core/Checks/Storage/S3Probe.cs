using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Checks.Storage;

/// <summary>
/// S3 and every S3-compatible type, with the AWS SDK: <c>HeadBucket</c> then <c>ListObjectsV2</c> with max-keys=1 when a
/// bucket is given, else <c>ListBuckets</c>. Never writes or deletes.
/// </summary>
public sealed class S3Probe(IOptions<StorageOptions> storage, IOptions<ChecksOptions> checks) : IStorageProbe
{
    public const string AccessKeyIdField = "access_key_id";
    public const string SecretAccessKeyField = "secret_access_key";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string> { AccessKeyIdField, SecretAccessKeyField };

    public async Task<StorageCheck> ProbeAsync(string secretType, IReadOnlyDictionary<string, string> values, CheckTarget target, CancellationToken ct)
    {
        var endpoint = S3Endpoints.Resolve(secretType, target, storage.Value.S3.ServiceUrl);
        if (endpoint.Problem is { } problem) return Fail(CheckStatus.Misconfigured, problem);

        var config = new AmazonS3Config
        {
            Timeout = checks.Value.ProbeTimeout,
            MaxErrorRetry = 1,
        };
        if (endpoint.Url is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(string.IsNullOrWhiteSpace(target.Region) ? "us-east-1" : target.Region);
        }
        else
        {
            config.ServiceURL = endpoint.Url;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = endpoint.Region;
        }

        using var client = new AmazonS3Client(new BasicAWSCredentials(values[AccessKeyIdField], values[SecretAccessKeyField]), config);
        return string.IsNullOrWhiteSpace(target.Bucket)
            ? await ListBucketsAsync(client, ct).ConfigureAwait(false)
            : await ProbeBucketAsync(client, target.Bucket, ct).ConfigureAwait(false);
    }

    private static async Task<StorageCheck> ListBucketsAsync(IAmazonS3 client, CancellationToken ct)
    {
        try
        {
            await client.ListBucketsAsync(new ListBucketsRequest(), ct).ConfigureAwait(false);
            return new StorageCheck(CheckStatus.Ok, StorageCapabilities.Unknown, "The key is valid (ListBuckets); give a bucket to check access to it.");
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "AccessDenied")
        {
            // AccessDenied comes after the signature and the key were accepted: the key works, it may just not list buckets.
            return new StorageCheck(CheckStatus.Ok, StorageCapabilities.Unknown,
                "The key is valid but may not list buckets; give a bucket to check access to it.");
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            return Classify(ex, bucket: null);
        }
    }

    private static async Task<StorageCheck> ProbeBucketAsync(IAmazonS3 client, string bucket, CancellationToken ct)
    {
        try
        {
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
        {
            // HEAD answers carry no error code: the same request as a list says why (bad key, bad signature, denied).
            _ = ex;
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            return Classify(ex, bucket);
        }

        try
        {
            await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 }, ct).ConfigureAwait(false);
            return new StorageCheck(CheckStatus.Ok, new StorageCapabilities(List: true));
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "AccessDenied")
        {
            return new StorageCheck(CheckStatus.Rejected, new StorageCapabilities(List: false),
                $"The key is valid but was denied access to bucket {bucket} (AccessDenied): grant it s3:ListBucket on the bucket.");
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            return Classify(ex, bucket);
        }
    }

    internal static StorageCheck Classify(Exception ex, string? bucket)
    {
        if (ex is AmazonServiceException service && service.StatusCode != 0)
        {
            var code = string.IsNullOrEmpty(service.ErrorCode) ? ((int)service.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : service.ErrorCode;
            var said = $"({code}): {service.Message}";
            return code switch
            {
                "InvalidAccessKeyId" => Fail(CheckStatus.Rejected, $"The service does not know this access key id {said}"),
                "SignatureDoesNotMatch" => Fail(CheckStatus.Rejected, $"The secret access key does not match the access key id {said}"),
                "InvalidToken" or "InvalidSecurity" or "AccountProblem" or "AllAccessDisabled" or "AccessDenied" =>
                    Fail(CheckStatus.Rejected, $"The service refused the key {said}"),
                "ExpiredToken" or "TokenRefreshRequired" => Fail(CheckStatus.Expired, $"The key has expired {said}"),
                "NoSuchBucket" => Fail(CheckStatus.Misconfigured, $"Bucket {bucket} does not exist at this endpoint {said}"),
                "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException" or "InvalidRegion" =>
                    Fail(CheckStatus.Misconfigured, $"Wrong region or endpoint for this bucket: set region or endpoint_url {said}"),
                "SlowDown" or "TooManyRequests" or "RequestLimitExceeded" => Fail(CheckStatus.RateLimited, $"The service asks to slow down {said}"),
                _ => service.StatusCode switch
                {
                    HttpStatusCode.NotFound => Fail(CheckStatus.Misconfigured,
                        bucket is null ? $"The endpoint does not serve S3 here: check endpoint_url {said}" : $"Bucket {bucket} was not found {said}"),
                    HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect => Fail(CheckStatus.Misconfigured,
                        $"The bucket is in another region: set region or endpoint_url {said}"),
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Fail(CheckStatus.Rejected, $"The service refused the key {said}"),
                    HttpStatusCode.TooManyRequests => Fail(CheckStatus.RateLimited, $"The service asks to slow down {said}"),
                    >= HttpStatusCode.InternalServerError => Fail(CheckStatus.Unreachable, $"The storage service failed {said}"),
                    _ => Fail(CheckStatus.Misconfigured, $"The service refused the request: check endpoint_url and region {said}"),
                },
            };
        }
        return Fail(CheckStatus.Unreachable, $"The storage service could not be reached: {Innermost(ex).Message}");
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }

    private static StorageCheck Fail(CheckStatus status, string message) => new(status, StorageCapabilities.Unknown, message);
}
