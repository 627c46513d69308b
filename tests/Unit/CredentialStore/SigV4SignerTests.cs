using System.Text;
using Dataraven.Core.CredentialStore.Ssm;

namespace Dataraven.Tests.Unit.CredentialStore;

/// <summary>
/// AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite): credentials AKIDEXAMPLE /
/// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2015-08-30T12:36:00Z, region us-east-1, service
/// "service", host example.amazonaws.com. Each case is the request of the suite and the
/// Authorization header AWS publishes for it (the .authz file).
/// </summary>
public sealed class SigV4SignerTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Credential = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";
    private static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    public static TheoryData<string, string, string, string[], string, string> Vectors => new()
    {
        { "get-vanilla", "GET", "/", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "get-vanilla-query", "GET", "/", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "get-vanilla-empty-query-key", "GET", "/?Param1=value1", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb" },
        { "get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
        { "get-vanilla-query-unreserved", "GET",
            "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
        { "get-vanilla-utf8-query", "GET", "/?\u1234=bar", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
        { "get-utf8", "GET", "/\u1234", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85" },
        { "get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
        { "get-header-value-trim", "GET", "/", ["My-Header1: value1", "My-Header2: \"a   b   c\""], "",
            Credential + "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        { "post-vanilla", "POST", "/", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "post-vanilla-query", "POST", "/?Param1=value1", [], "",
            Credential + "SignedHeaders=host;x-amz-date, Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
        { "post-header-key-sort", "POST", "/", ["My-Header1:value1"], "",
            Credential + "SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
        { "post-header-value-case", "POST", "/", ["My-Header1:VALUE1"], "",
            Credential + "SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d" },
        { "post-x-www-form-urlencoded", "POST", "/", ["Content-Type:application/x-www-form-urlencoded"], "Param1=value1",
            Credential + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
        { "post-x-www-form-urlencoded-parameters", "POST", "/", ["Content-Type:application/x-www-form-urlencoded; charset=utf8"], "Param1=value1",
            Credential + "SignedHeaders=content-type;host;x-amz-date, Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Sign_AwsTestSuiteVector_ProducesPublishedAuthorization(string vector, string method, string pathAndQuery, string[] extraHeaders, string body, string expected)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", "example.amazonaws.com"),
            new("X-Amz-Date", "20150830T123600Z"),
        };
        foreach (var line in extraHeaders)
        {
            var colon = line.IndexOf(':');
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }

        var signature = SigV4Signer.Sign(method, new Uri("https://example.amazonaws.com" + pathAndQuery), headers,
            Encoding.UTF8.GetBytes(body), AccessKey, SecretKey, "us-east-1", "service", SignedAt);

        Assert.True(expected == signature.Authorization, $"{vector}\nexpected {expected}\nactual   {signature.Authorization}\n{signature.CanonicalRequest}");
    }

    [Fact]
    public void Sign_GetVanilla_ProducesPublishedCanonicalRequest()
    {
        var signature = SigV4Signer.Sign("GET", new Uri("https://example.amazonaws.com/"),
            [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")],
            [], AccessKey, SecretKey, "us-east-1", "service", SignedAt);

        // get-vanilla.creq of the suite.
        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            signature.CanonicalRequest);
    }

    [Fact]
    public void Sign_DifferentBody_ChangesSignature()
    {
        List<KeyValuePair<string, string>> headers = [new("host", "ssm.us-east-1.amazonaws.com"), new("x-amz-date", "20150830T123600Z")];
        var a = SigV4Signer.Sign("POST", new Uri("https://ssm.us-east-1.amazonaws.com/"), headers, "{\"a\":1}"u8, AccessKey, SecretKey, "us-east-1", "ssm", SignedAt);
        var b = SigV4Signer.Sign("POST", new Uri("https://ssm.us-east-1.amazonaws.com/"), headers, "{\"a\":2}"u8, AccessKey, SecretKey, "us-east-1", "ssm", SignedAt);

        Assert.NotEqual(a.Authorization, b.Authorization);
        Assert.Contains("Credential=AKIDEXAMPLE/20150830/us-east-1/ssm/aws4_request", a.Authorization);
    }
}
