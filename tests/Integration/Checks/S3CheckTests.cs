using Amazon.Runtime;
using Dataraven.Core.Checks;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>S3 and the S3-compatible types against moto_server checking signatures for real.</summary>
public sealed class S3CheckTests(AuthMotoFixture moto) : IClassFixture<AuthMotoFixture>, IAsyncLifetime
{
    private CheckerHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await CheckerHarness.StartAsync(new Dictionary<string, string?> { ["Storage:S3:ServiceUrl"] = moto.Endpoint });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<string> S3CompatibleTypes => new()
    {
        "r2", "wasabi", "railway", "oracle_object_storage_s3", "s3_compatible", "tigris", "digitalocean_spaces", "hetzner", "rabata",
    };

    private Task<SecretCheck> CheckAsync(string secretType, AWSCredentials key, CheckTarget? target = null)
    {
        var immutable = key.GetCredentials();
        return _harness.CheckDraftAsync(CheckerHarness.Direct(secretType, secretType + "_access_key", new()
        {
            ["access_key_id"] = immutable.AccessKey,
            ["secret_access_key"] = immutable.SecretKey,
        }), target);
    }

    [Fact]
    public async Task S3_GoodKeyWithBucket_OkWithListCapability()
    {
        var check = await CheckAsync("s3", moto.Good, new CheckTarget(Bucket: AuthMotoFixture.Bucket));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Null(check.ErrorClass);
        Assert.Equal(CheckStatus.Ok, check.Storage.Status);
        Assert.True(check.Storage.Capabilities.List);
        Assert.All(check.Fields, f => Assert.Equal(CheckStatus.Ok, f.Status));
        Assert.Equal(moto.Good.GetCredentials().SecretKey.Length, check.Fields.Single(f => f.FieldName == "secret_access_key").Length);
        Assert.All(check.Fields, f => Assert.Matches("^[0-9a-f]{8}$", f.Fingerprint!));
    }

    [Fact]
    public async Task S3_GoodKeyWithoutBucket_ListBucketsOk()
    {
        var check = await CheckAsync("s3", moto.Good);

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains("ListBuckets", check.Storage.Message);
    }

    [Fact]
    public async Task S3_WrongSecret_Rejected()
    {
        var wrong = new BasicAWSCredentials(moto.Good.GetCredentials().AccessKey, "wrong-secret-wrong-secret-wrong-secret00");

        var withBucket = await CheckAsync("s3", wrong, new CheckTarget(Bucket: AuthMotoFixture.Bucket));
        var withoutBucket = await CheckAsync("s3", wrong);

        foreach (var check in new[] { withBucket, withoutBucket })
        {
            Assert.Equal(CheckStatus.Rejected, check.Status);
            Assert.Equal(CheckStatus.Rejected, check.ErrorClass);
            Assert.Contains("SignatureDoesNotMatch", check.Storage.Message);
            // The fields were read fine: only the storage service refused them.
            Assert.All(check.Fields, f => Assert.Equal(CheckStatus.Ok, f.Status));
        }
    }

    [Fact]
    public async Task S3_UnknownKeyId_Rejected()
    {
        var check = await CheckAsync("s3", new BasicAWSCredentials("AKIADOESNOTEXIST0000", "whatever-secret-whatever-secret-whatever"),
            new CheckTarget(Bucket: AuthMotoFixture.Bucket));

        Assert.Equal(CheckStatus.Rejected, check.Status);
        Assert.Contains("InvalidAccessKeyId", check.Storage.Message);
    }

    [Fact]
    public async Task S3_MissingBucket_MisconfiguredNamingTheBucket()
    {
        var check = await CheckAsync("s3", moto.Good, new CheckTarget(Bucket: "no-such-bucket-here"));

        Assert.Equal(CheckStatus.Misconfigured, check.Status);
        Assert.Contains("no-such-bucket-here", check.Storage.Message);
    }

    [Fact]
    public async Task S3_KeyWithoutS3Permission_RejectedWithBucket_OkWithoutBucket()
    {
        var withBucket = await CheckAsync("s3", moto.NoS3, new CheckTarget(Bucket: AuthMotoFixture.Bucket));
        var withoutBucket = await CheckAsync("s3", moto.NoS3);

        Assert.Equal(CheckStatus.Rejected, withBucket.Status);
        Assert.Contains("denied", withBucket.Storage.Message);
        Assert.False(withBucket.Storage.Capabilities.List);
        Assert.Equal(CheckStatus.Ok, withoutBucket.Status);
        Assert.Contains("may not list buckets", withoutBucket.Storage.Message);
    }

    [Theory]
    [MemberData(nameof(S3CompatibleTypes))]
    public async Task S3Compatible_GoodKeyAtEndpointUrl_Ok(string secretType)
    {
        var check = await CheckAsync(secretType, moto.Good, new CheckTarget(AuthMotoFixture.Bucket, moto.Endpoint));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.True(check.Storage.Capabilities.List);
    }

    [Theory]
    [MemberData(nameof(S3CompatibleTypes))]
    public async Task S3Compatible_WrongSecretAtEndpointUrl_Rejected(string secretType)
    {
        var wrong = new BasicAWSCredentials(moto.Good.GetCredentials().AccessKey, "wrong-secret-wrong-secret-wrong-secret00");

        var check = await CheckAsync(secretType, wrong, new CheckTarget(AuthMotoFixture.Bucket, moto.Endpoint));

        Assert.Equal(CheckStatus.Rejected, check.Status);
    }

    [Theory]
    [InlineData("r2", "account id")]
    [InlineData("s3_compatible", "endpoint_url")]
    [InlineData("railway", "endpoint_url")]
    [InlineData("oracle_object_storage_s3", "namespace")]
    [InlineData("hetzner", "region")]
    public async Task S3Compatible_NoEndpointAndNoDefault_MisconfiguredSayingWhatToGive(string secretType, string hint)
    {
        var check = await CheckAsync(secretType, moto.Good);

        Assert.Equal(CheckStatus.Misconfigured, check.Status);
        Assert.Contains(hint, check.Storage.Message);
    }

    [Fact]
    public async Task S3_EndpointNotListening_UnreachableWithinTheProbeTimeout()
    {
        var started = DateTime.UtcNow;
        var check = await CheckAsync("s3_compatible", moto.Good, new CheckTarget(EndpointUrl: "http://127.0.0.1:9"));

        Assert.Equal(CheckStatus.Unreachable, check.Status);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }
}
