using System.Net;
using System.Text;
using Amazon.Runtime;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.CredentialStore.Ssm;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Unit.CredentialStore;

/// <summary>The wire format, retries and error mapping, with scripted HTTP answers (cases moto cannot produce).</summary>
public sealed class SsmClientTests
{
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _next;
        public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request, request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken)));
            return answers[Math.Min(_next++, answers.Length - 1)]();
        }
    }

    private static Func<HttpResponseMessage> Answer(HttpStatusCode status, string body) =>
        () => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };

    private static readonly Func<HttpResponseMessage> Found = Answer(HttpStatusCode.OK,
        "{\"Parameter\":{\"Name\":\"/p/x\",\"Type\":\"SecureString\",\"Value\":\"{\\\"access_token\\\":\\\"dp.st.scripted\\\"}\"}}");

    private static (SsmCredentialStore Store, ScriptedHandler Handler, CapturingLoggerFactory Logs) Create(
        Func<HttpResponseMessage>[] answers, AWSCredentials? credentials = null)
    {
        var handler = new ScriptedHandler(answers);
        var logs = new CapturingLoggerFactory();
        var options = new SsmCredentialStoreOptions
        {
            Region = "eu-west-1",
            PathPrefix = "/p",
            MaxRetryAttempts = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        };
        var client = new SsmClient(new HttpClient(handler), options,
            AwsCredentialSource.From(credentials ?? new BasicAWSCredentials("AKIDSCRIPTED", "scripted-secret-key")), logs.CreateLogger("ssm"));
        return (new SsmCredentialStore(client, options, logs.CreateLogger<SsmCredentialStore>()), handler, logs);
    }

    private static readonly CredentialKey Key = CredentialKey.ForVaultConnection(Guid.NewGuid(), Guid.NewGuid());

    [Fact]
    public async Task GetAsync_AnyKey_SendsSignedJson11Request()
    {
        var (store, handler, _) = Create([Found]);

        await store.GetAsync(Key);

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://ssm.eu-west-1.amazonaws.com/"), request.RequestUri);
        Assert.Equal("application/x-amz-json-1.1", request.Content!.Headers.ContentType!.ToString());
        Assert.Equal("AmazonSSM.GetParameter", request.Headers.GetValues("X-Amz-Target").Single());
        var amzDate = request.Headers.GetValues("X-Amz-Date").Single();
        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential=AKIDSCRIPTED/{amzDate[..8]}/eu-west-1/ssm/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=", authorization);
        // The signature covers exactly what went on the wire.
        var resigned = SigV4Signer.Sign("POST", request.RequestUri!,
            [new("Content-Type", "application/x-amz-json-1.1"), new("Host", request.RequestUri!.Authority), new("X-Amz-Date", amzDate), new("X-Amz-Target", "AmazonSSM.GetParameter")],
            body, "AKIDSCRIPTED", "scripted-secret-key", "eu-west-1", "ssm",
            DateTime.ParseExact(amzDate, SigV4Signer.AmzDateFormat, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
        Assert.Equal(resigned.Authorization, authorization);
        Assert.Equal($"{{\"Name\":\"/p/{Key.RelativePath}\",\"WithDecryption\":true}}", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task GetAsync_SessionCredentials_SignsSecurityToken()
    {
        var (store, handler, _) = Create([Found], new SessionAWSCredentials("ASIASCRIPTED", "scripted-secret-key", "scripted-session-token"));

        await store.GetAsync(Key);

        var request = handler.Requests.Single().Request;
        Assert.Equal("scripted-session-token", request.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,", request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task GetAsync_ThrottledThen5xxThenOk_RetriesAndReturnsValue()
    {
        var (store, handler, logs) = Create([
            Answer(HttpStatusCode.BadRequest, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"),
            Answer(HttpStatusCode.ServiceUnavailable, ""),
            Answer((HttpStatusCode)429, "{\"__type\":\"com.amazonaws.ssm#TooManyUpdates\"}"),
            Found,
        ]);

        var fields = await store.GetAsync(Key);

        Assert.Equal("dp.st.scripted", fields!["access_token"]);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(3, logs.Lines.Count(l => l.Contains("retry")));
    }

    [Fact]
    public async Task GetAsync_AlwaysThrottled_ThrowsUnavailableAfterRetries()
    {
        var (store, handler, _) = Create([Answer(HttpStatusCode.BadRequest, "{\"__type\":\"ThrottlingException\"}")]);

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() => store.GetAsync(Key));

        Assert.Equal(4, handler.Requests.Count);
        Assert.Contains("ThrottlingException", e.Message);
    }

    [Fact]
    public async Task PutAsync_ValidationErrorEchoingValue_ThrowsUnavailableWithoutValue()
    {
        var (store, handler, logs) = Create([Answer(HttpStatusCode.BadRequest,
            "{\"__type\":\"ValidationException\",\"message\":\"Value '{\\\"access_token\\\":\\\"echoed-secret-marker\\\"}' at 'value' failed\"}")]);

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() =>
            store.PutAsync(Key, new Dictionary<string, string> { ["access_token"] = "echoed-secret-marker" }));

        Assert.Single(handler.Requests);
        Assert.Contains("ValidationException", e.Message);
        Assert.DoesNotContain("echoed-secret-marker", e.ToString());
        Assert.DoesNotContain(logs.Lines, l => l.Contains("echoed-secret-marker"));
    }

    [Theory]
    [InlineData("InvalidKeyId")]
    [InlineData("KMSDisabledException")]
    [InlineData("UnrecognizedClientException")]
    [InlineData("AccessDeniedException")]
    public async Task PutAsync_KeyOrAccessProblem_LogsConfigurationErrorWithoutRetry(string code)
    {
        var (store, handler, logs) = Create([Answer(HttpStatusCode.BadRequest, $"{{\"__type\":\"{code}\",\"message\":\"denied\"}}")]);

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() =>
            store.PutAsync(Key, new Dictionary<string, string> { ["access_token"] = "kms-secret-marker" }));

        Assert.Single(handler.Requests);
        Assert.Contains(code, e.Message);
        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Error && l.Text.Contains("configuration error") && l.Text.Contains(code));
        Assert.DoesNotContain("kms-secret-marker", e.ToString());
        Assert.DoesNotContain(logs.Lines, l => l.Contains("kms-secret-marker"));
    }

    [Fact]
    public async Task PutAsync_ParameterAlreadyExists_OverwritesWithoutTags()
    {
        var (store, handler, _) = Create([
            Answer(HttpStatusCode.BadRequest, "{\"__type\":\"ParameterAlreadyExists\"}"),
            Answer(HttpStatusCode.OK, "{\"Version\":2,\"Tier\":\"Standard\"}"),
        ]);

        await store.PutAsync(Key, new Dictionary<string, string> { ["access_token"] = "dp.st.x" });

        Assert.Equal(2, handler.Requests.Count);
        var create = System.Text.Json.JsonDocument.Parse(handler.Requests[0].Body).RootElement;
        var overwrite = System.Text.Json.JsonDocument.Parse(handler.Requests[1].Body).RootElement;
        Assert.False(create.GetProperty("Overwrite").GetBoolean());
        Assert.Equal("Standard", create.GetProperty("Tier").GetString());
        Assert.Equal(3, create.GetProperty("Tags").GetArrayLength());
        Assert.Equal("SecureString", create.GetProperty("Type").GetString());
        Assert.False(create.TryGetProperty("KeyId", out _));
        Assert.True(overwrite.GetProperty("Overwrite").GetBoolean());
        Assert.False(overwrite.TryGetProperty("Tags", out _));
    }

    [Fact]
    public async Task DeleteAsync_ParameterNotFound_Succeeds()
    {
        var (store, handler, _) = Create([Answer(HttpStatusCode.BadRequest, "{\"__type\":\"ParameterNotFound\"}")]);

        await store.DeleteAsync(Key);

        Assert.Equal("AmazonSSM.DeleteParameter", handler.Requests.Single().Request.Headers.GetValues("X-Amz-Target").Single());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollection
{
    public const string Name = "AWS environment variables";
}

/// <summary>The standard AWS chain, through its first link (environment variables). Runs alone: it sets process variables.</summary>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class AwsCredentialSourceTests
{
    [Fact]
    public async Task GetAsync_DefaultChainWithEnvironmentKeys_ReturnsEnvironmentKey()
    {
        var names = new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" };
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        var accessKey = "AKIDCHAIN" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", accessKey);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "chain-secret-key");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
            var source = AwsCredentialSource.DefaultChain();

            var credentials = await source.GetAsync(CancellationToken.None);

            Assert.Equal(accessKey, credentials.AccessKey);
            Assert.False(credentials.UseToken);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
