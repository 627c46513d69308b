using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Dataraven.Tests.Unit.CredentialStore;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>
/// moto_server that checks SigV4 signatures and access keys for real (<c>INITIAL_NO_AUTH_ACTION_COUNT</c>): its first
/// unsigned calls create an IAM user allowed everything in S3 (<see cref="Good"/>) and one allowed nothing in S3
/// (<see cref="NoS3"/>); then <see cref="Bucket"/> is created with the good key, and any allowance left over is spent,
/// so from the first test on, a wrong key is refused.
/// </summary>
public sealed class AuthMotoFixture : IAsyncLifetime
{
    public const string Bucket = "checks-bucket";

    // Two users of three IAM calls each.
    private readonly MotoServerFixture _moto = new() { InitialNoAuthActionCount = 6 };

    public BasicAWSCredentials Good { get; private set; } = null!;

    public BasicAWSCredentials NoS3 { get; private set; } = null!;

    public string Endpoint => _moto.Endpoint.ToString();

    public async Task InitializeAsync()
    {
        await _moto.InitializeAsync();
        Good = await _moto.CreateIamUserAsync("s3:*");
        NoS3 = await _moto.CreateIamUserAsync("sts:GetCallerIdentity");

        using var client = Client(Good);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "hello.txt", ContentBody = "hello" });

        // Whatever allowance remains is spent on an unknown key until moto refuses it.
        using var unknown = Client(new BasicAWSCredentials("AKIAUNKNOWNKEY000000", "not-the-secret"));
        for (var i = 0; ; i++)
        {
            try
            {
                await unknown.ListBucketsAsync();
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode == "InvalidAccessKeyId")
            {
                return;
            }
            if (i > 10) throw new InvalidOperationException("moto never started checking access keys.");
        }
    }

    public AmazonS3Client Client(AWSCredentials credentials) => new(credentials, new AmazonS3Config
    {
        ServiceURL = Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    public Task DisposeAsync() => _moto.DisposeAsync();
}
