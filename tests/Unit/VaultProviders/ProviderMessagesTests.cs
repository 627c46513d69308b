using System.Net;
using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.VaultProviders;

public sealed class ProviderMessagesTests
{
    [Theory]
    [InlineData("  Invalid Auth token  ", "Invalid Auth token")]
    [InlineData("line one\nline two\r\n\tthree", "line one line two three")]
    [InlineData("bell\u0007 and esc\u001b[31m red", "bell and esc[31m red")]
    [InlineData("zero\u200Bwidth", "zerowidth")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Sanitize_ControlCharactersAndWhitespace_Cleaned(string? input, string expected)
    {
        Assert.Equal(expected, ProviderMessages.Sanitize(input));
    }

    [Theory]
    [InlineData("bad token my-secret-value here", "bad token *** here")]
    [InlineData("my-secret-valuemy-secret-value", "***")]
    [InlineData("split my-secret-\u0007value", "split ***")]
    [InlineData("token dp.st.prd.abcDEF123 refused", "token *** refused")]
    [InlineData("token ops_abcDEF123 refused", "token *** refused")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_value refused", "jwt *** refused")]
    public void Sanitize_Credentials_Redacted(string input, string expected)
    {
        Assert.Equal(expected, ProviderMessages.Sanitize(input, ["my-secret-value", null, ""]));
    }

    private static readonly string[] EchoCredentials =
    [
        "dp.st.prd.Kq7Wz2Lm9Xv4Rt8Yh3Jn",            // Doppler service token
        "ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3",   // 1Password service account token
        "3f6c2a9e-1b4d-4e8f-9a7c-5d2e8b1f4c60",      // Infisical client id
        "iNf1s1cal-Cl1ent-Secr3t-Qw8Zx",             // Infisical client secret
    ];

    public static TheoryData<string, CredentialEcho> EchoCases()
    {
        var cases = new TheoryData<string, CredentialEcho>();
        foreach (var credential in EchoCredentials)
        {
            foreach (var echo in CredentialEchoes.Leaking) cases.Add(credential, echo);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(EchoCases))]
    public void Sanitize_EchoedCredentialInAnyForm_NoSixCharacterFragmentLeft(string credential, CredentialEcho echo)
    {
        var input = $"Invalid Auth token: {echo.Apply(credential)} (request 42)";

        var result = ProviderMessages.Sanitize(input, [credential, "unrelated-other-value"]);

        Assert.Null(CredentialEchoes.FindFragment(result, [credential]));
        Assert.StartsWith("Invalid Auth token: ", result);
        Assert.EndsWith("(request 42)", result);
    }

    [Theory]
    [InlineData("abcdefghij", "shares abcde and fghij only", "shares abcde and fghij only")]
    [InlineData("abcdefghij", "shares bcdefg", "shares ***")]
    [InlineData("abcdefghij", "shares BCDEFG", "shares ***")]
    [InlineData("abcdefghij", "xxDEFGHIJyy and cdefgh", "xx***yy and ***")]
    [InlineData("abc", "short abc credential", "short *** credential")]
    public void Sanitize_CredentialFragments_SixOrMoreCharactersInAnyCaseRemoved(string credential, string input, string expected)
    {
        Assert.Equal(expected, ProviderMessages.Sanitize(input, [credential]));
    }

    [Fact]
    public void Sanitize_LongMessage_TruncatedToMaxLength()
    {
        var result = ProviderMessages.Sanitize(new string('x', 1000));

        Assert.Equal(ProviderMessages.MaxLength, result.Length);
        Assert.EndsWith("…", result);
    }

    [Fact]
    public void Sanitize_CredentialBeyondTruncation_StillRedactedFirst()
    {
        var secret = "SECRETSECRETSECRET";
        var input = new string('a', 290) + secret;

        var result = ProviderMessages.Sanitize(input, [secret]);

        Assert.DoesNotContain("SECRET", result);
    }

    [Theory]
    [InlineData("{\"messages\":[\"Invalid Auth token\"],\"success\":false}", "Invalid Auth token")]
    [InlineData("{\"messages\":[\"a\",\"b\"],\"success\":false}", "a; b")]
    [InlineData("{\"reqId\":\"r1\",\"statusCode\":401,\"message\":\"Invalid credentials\",\"error\":\"Unauthorized\"}", "Invalid credentials")]
    [InlineData("{\"reqId\":\"r1\",\"statusCode\":500,\"error\":\"InternalServerError\"}", "InternalServerError")]
    [InlineData("<html>bad gateway</html>", null)]
    [InlineData("[1,2]", null)]
    [InlineData("", null)]
    public void ExtractErrorMessage_ProviderBodies_ReturnsMessage(string body, string? expected)
    {
        Assert.Equal(expected, ProviderMessages.ExtractErrorMessage(body));
    }

    [Theory]
    [InlineData("doppler", "{\"messages\":[\"Could not find requested secret\"],\"success\":false}", "Could not find requested secret")]
    [InlineData("doppler", "{\"message\":\"not Doppler's shape\"}", null)]
    [InlineData("infisical", "{\"reqId\":\"r1\",\"statusCode\":404,\"message\":\"Secret with name X not found\",\"error\":\"NotFound\"}", "Secret with name X not found")]
    [InlineData("infisical", "{\"reqId\":\"r1\",\"statusCode\":400,\"message\":[\"a\",\"b\"],\"error\":\"BadRequest\"}", "a; b")]
    [InlineData("infisical", "{\"reqId\":\"r1\",\"statusCode\":500,\"error\":\"InternalServerError\"}", "InternalServerError")]
    [InlineData("infisical", "{\"messages\":[\"not Infisical's shape\"]}", null)]
    public void ExtractErrorMessage_EachProvidersDocumentedBody_OnlyThatShape(string provider, string body, string? expected)
    {
        var shape = provider == "doppler" ? HttpProviderReader.DopplerErrorBody : HttpProviderReader.InfisicalErrorBody;
        Assert.Equal(expected, ProviderMessages.ExtractErrorMessage(body, shape));
    }
}

public sealed class ProviderHttpTests
{
    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public void IsTransient_Status_OnlyTimeoutThrottlingAndServerErrors(HttpStatusCode status, bool expected)
    {
        Assert.Equal(expected, ProviderHttp.IsTransient(status));
    }
}
