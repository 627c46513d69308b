using System.Text.Json;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Dataraven.Core;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.CredentialStore.Ssm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Unit.CredentialStore;

/// <summary>The SSM store on the AWS SDK against a real emulator (moto_server).</summary>
public sealed class SsmCredentialStoreTests : IClassFixture<MotoServerFixture>
{
    private readonly MotoServerFixture _moto;
    private readonly string _prefix = "/test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly CapturingLoggerFactory _logs = new();
    private readonly SsmCredentialStore _store;

    public SsmCredentialStoreTests(MotoServerFixture moto)
    {
        _moto = moto;
        _store = moto.CreateStore(_prefix, _logs);
    }

    private IAmazonSimpleSystemsManagement Ssm => _moto.Client;

    private static CredentialKey NewSecretKey() => CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid());

    private static Dictionary<string, string> Fields(string access = "AKIAEXAMPLEFIELD01", string secret = "example-secret-field-value-1") =>
        new() { ["access_key_id"] = access, ["secret_access_key"] = secret };

    private async Task<ParameterMetadata> DescribeAsync(string name)
    {
        var response = await Ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Values = [name] }],
        });
        return Assert.Single(response.Parameters);
    }

    [Fact]
    public async Task PutAsync_NewKey_GetReturnsSameFields()
    {
        var key = NewSecretKey();

        await _store.PutAsync(key, Fields());
        var stored = await _store.GetAsync(key);

        Assert.NotNull(stored);
        Assert.Equal(Fields(), stored);
    }

    [Fact]
    public async Task PutAsync_ExistingKey_OverwritesValueAndKeepsTags()
    {
        var key = CredentialKey.ForVaultConnection(Guid.NewGuid(), Guid.NewGuid());
        await _store.PutAsync(key, new Dictionary<string, string> { ["access_token"] = "dp.st.first-token-value" });

        await _store.PutAsync(key, new Dictionary<string, string> { ["access_token"] = "dp.st.second-token-value" });

        var stored = await _store.GetAsync(key);
        Assert.Equal("dp.st.second-token-value", stored!["access_token"]);
        var described = await DescribeAsync(_store.ParameterName(key));
        Assert.Equal(2, described.Version);
        var tags = await TagsAsync(_store.ParameterName(key));
        Assert.Equal(key.TeamId.ToString("D"), tags[SsmCredentialStore.TeamTag]);
    }

    [Fact]
    public async Task PutAsync_NewKey_TagsTeamKindAndObject()
    {
        var key = CredentialKey.ForVaultConnection(Guid.NewGuid(), Guid.NewGuid());

        await _store.PutAsync(key, new Dictionary<string, string> { ["access_token"] = "ops_example-token" });

        var tags = await TagsAsync(_store.ParameterName(key));
        Assert.Equal(key.TeamId.ToString("D"), tags[SsmCredentialStore.TeamTag]);
        Assert.Equal("vault-connection", tags[SsmCredentialStore.KindTag]);
        Assert.Equal(key.ObjectId.ToString("D"), tags[SsmCredentialStore.ObjectTag]);
    }

    private async Task<Dictionary<string, string>> TagsAsync(string name)
    {
        var response = await Ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name });
        return response.TagList.ToDictionary(t => t.Key, t => t.Value);
    }

    [Fact]
    public async Task DeleteAsync_ExistingKey_GetReturnsNull()
    {
        var key = NewSecretKey();
        await _store.PutAsync(key, Fields());

        await _store.DeleteAsync(key);

        Assert.Null(await _store.GetAsync(key));
    }

    [Fact]
    public async Task DeleteAsync_MissingKey_Succeeds()
    {
        var key = NewSecretKey();

        await _store.DeleteAsync(key);

        Assert.Null(await _store.GetAsync(key));
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNull()
    {
        Assert.Null(await _store.GetAsync(NewSecretKey()));
    }

    [Fact]
    public async Task PutAsync_ValueOver4096Bytes_UsesAdvancedTier()
    {
        var big = NewSecretKey();
        var small = NewSecretKey();
        var json = "{\"type\":\"service_account\",\"private_key\":\"" + new string('k', 5 * 1024) + "\"}";

        await _store.PutAsync(big, new Dictionary<string, string> { ["service_account_json"] = json });
        await _store.PutAsync(small, Fields());

        Assert.Equal(ParameterTier.Advanced, (await DescribeAsync(_store.ParameterName(big))).Tier);
        Assert.Equal(ParameterTier.Standard, (await DescribeAsync(_store.ParameterName(small))).Tier);
        Assert.Equal(json, (await _store.GetAsync(big))!["service_account_json"]);
    }

    [Fact]
    public async Task PutAsync_AdvancedThenSmallValue_OverwritesAndStaysAdvanced()
    {
        var key = NewSecretKey();
        await _store.PutAsync(key, new Dictionary<string, string> { ["sas_url"] = "https://a.example/?sig=" + new string('s', 5000) });

        await _store.PutAsync(key, new Dictionary<string, string> { ["sas_url"] = "https://a.example/?sig=short" });

        Assert.Equal("https://a.example/?sig=short", (await _store.GetAsync(key))!["sas_url"]);
        Assert.Equal(ParameterTier.Advanced, (await DescribeAsync(_store.ParameterName(key))).Tier);
    }

    [Fact]
    public async Task PutAsync_ValueOver8KB_ThrowsUnavailableWithoutValue()
    {
        var value = "too-big-" + new string('v', 9000);

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() =>
            _store.PutAsync(NewSecretKey(), new Dictionary<string, string> { ["application_key"] = value }));

        Assert.DoesNotContain("vvvvvvvv", e.ToString());
    }

    [Fact]
    public async Task PutAsync_AnyKey_NameCarriesConfiguredPrefix()
    {
        var key = CredentialKey.ForVaultConnection(Guid.NewGuid(), Guid.NewGuid());

        await _store.PutAsync(key, new Dictionary<string, string> { ["access_token"] = "dp.st.example" });

        var expected = $"{_prefix}/teams/{key.TeamId:D}/vault-connections/{key.ObjectId:D}";
        Assert.Equal(expected, _store.ParameterName(key));
        var raw = await Ssm.GetParameterAsync(new GetParameterRequest { Name = expected, WithDecryption = true });
        Assert.Equal(expected, raw.Parameter.Name);
    }

    [Fact]
    public void ParameterName_DefaultOptions_UsesDataravenPrefix()
    {
        var options = new SsmCredentialStoreOptions();
        var store = new SsmCredentialStore(Ssm, Microsoft.Extensions.Options.Options.Create(options), new Microsoft.Extensions.Logging.Logger<SsmCredentialStore>(_logs));
        var key = CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid());

        Assert.Equal("/dataraven", options.PathPrefix);
        Assert.Equal($"/dataraven/teams/{key.TeamId:D}/secrets/{key.ObjectId:D}", store.ParameterName(key));
    }

    [Fact]
    public async Task PutAsync_AnyKey_StoresSecureStringEncryptedWithDefaultKey()
    {
        var key = NewSecretKey();

        await _store.PutAsync(key, Fields(secret: "plain-secret-marker"));

        var raw = await Ssm.GetParameterAsync(new GetParameterRequest { Name = _store.ParameterName(key), WithDecryption = false });
        Assert.Equal(ParameterType.SecureString, raw.Parameter.Type);
        // Without decryption SSM answers the ciphertext; moto marks its stand-in ciphertext with the KMS key.
        var undecrypted = raw.Parameter.Value;
        Assert.NotEqual(JsonSerializer.Serialize(Fields(secret: "plain-secret-marker")), undecrypted);
        Assert.StartsWith("kms:alias/aws/ssm:", undecrypted);
        var described = await DescribeAsync(_store.ParameterName(key));
        Assert.Equal(ParameterType.SecureString, described.Type);
        // No KmsKeyId configured: KeyId is omitted and SSM uses the account default key.
        Assert.Equal("alias/aws/ssm", described.KeyId);
    }

    [Fact]
    public async Task PutAsync_KmsKeyIdConfigured_EncryptsWithThatKey()
    {
        var store = _moto.CreateStore(_prefix + "-kms", _logs, o => o.KmsKeyId = "alias/dataraven-test");
        var key = NewSecretKey();

        await store.PutAsync(key, Fields());

        var described = await DescribeAsync(store.ParameterName(key));
        Assert.Equal("alias/dataraven-test", described.KeyId);
        Assert.Equal(Fields(), await store.GetAsync(key));
    }

    [Fact]
    public async Task ListAsync_ManyKeys_ReturnsEveryKeyAcrossPages()
    {
        var team = Guid.NewGuid();
        var keys = Enumerable.Range(0, 12).Select(i => i % 3 == 0 ? CredentialKey.ForVaultConnection(team, Guid.NewGuid()) : CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid())).ToList();
        foreach (var key in keys)
        {
            await _store.PutAsync(key, Fields());
        }
        // A parameter under the prefix that is not a credential name is ignored.
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = _prefix + "/other/thing", Value = "x", Type = ParameterType.String });

        var listed = new List<CredentialKey>();
        await foreach (var key in _store.ListAsync())
        {
            listed.Add(key);
        }

        Assert.Equal(keys.OrderBy(k => k.RelativePath), listed.OrderBy(k => k.RelativePath));
    }

    [Fact]
    public async Task ListAsync_NothingStored_ReturnsEmpty()
    {
        var listed = new List<CredentialKey>();
        await foreach (var key in _store.ListAsync())
        {
            listed.Add(key);
        }

        Assert.Empty(listed);
    }

    [Fact]
    public async Task PutAsync_AccessDenied_LogsConfigurationErrorAndThrowsUnavailable()
    {
        // moto refuses names under /aws/ with AccessDeniedException, as AWS does for reserved paths.
        var store = _moto.CreateStore("/aws/dataraven-" + Guid.NewGuid().ToString("N")[..8], _logs);

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() =>
            store.PutAsync(NewSecretKey(), Fields(secret: "denied-secret-marker")));

        Assert.Contains("AccessDeniedException", e.Message);
        Assert.DoesNotContain("denied-secret-marker", e.ToString());
        Assert.Contains(_logs.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Text.Contains("configuration error"));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("denied-secret-marker"));
    }

    [Fact]
    public async Task AddSsmCredentialStore_ProviderSsm_ResolvesWorkingStore()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_moto.ConfigurationValues(_prefix + "-di")).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<AWSCredentials>(_moto.Credentials);
        services.AddCredentialStore(configuration, Path.GetTempPath());
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<ICredentialStore>();
        var key = NewSecretKey();
        await store.PutAsync(key, Fields());

        var ssm = Assert.IsType<SsmCredentialStore>(store);
        Assert.Same(store, provider.GetRequiredService<ICredentialStore>());
        Assert.StartsWith(_prefix + "-di/teams/", ssm.ParameterName(key));
        Assert.Equal(Fields(), await store.GetAsync(key));
    }
}

/// <summary>Failures: the emulator stopped, a server that never answers.</summary>
public sealed class SsmCredentialStoreFaultTests
{
    [Fact]
    public async Task PutAndGet_EmulatorStopped_ThrowUnavailableWithoutValue()
    {
        using var moto = new MotoServerFixture();
        await moto.InitializeAsync();
        var logs = new CapturingLoggerFactory();
        var store = moto.CreateStore("/fault", logs);
        var key = CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid());
        await store.PutAsync(key, new Dictionary<string, string> { ["account_key"] = "first-fault-secret-marker" });

        await moto.StopAsync();

        var put = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() =>
            store.PutAsync(key, new Dictionary<string, string> { ["account_key"] = "second-fault-secret-marker" }));
        var get = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() => store.GetAsync(key));
        var delete = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() => store.DeleteAsync(key));

        foreach (var e in new[] { put, get, delete })
        {
            Assert.Contains("could not be reached", e.Message);
            Assert.Contains("connection failure", e.Message);
            Assert.DoesNotContain("fault-secret-marker", e.ToString());
        }
        Assert.DoesNotContain(logs.Lines, l => l.Contains("fault-secret-marker"));
        Assert.Equal(3, logs.Lines.Count(l => l.Contains("after the SDK's retries")));
    }

    [Fact]
    public async Task GetAsync_ServerNeverAnswers_ThrowsUnavailableAfterTimeout()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var options = new SsmCredentialStoreOptions
        {
            ServiceUrl = $"http://127.0.0.1:{port}/",
            Region = "us-east-1",
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            MaxRetryAttempts = 1,
        };
        using var client = SsmRegistration.CreateClient(options, new BasicAWSCredentials("a", "b"));
        var store = new SsmCredentialStore(client, Microsoft.Extensions.Options.Options.Create(options), new Microsoft.Extensions.Logging.Logger<SsmCredentialStore>(new CapturingLoggerFactory()));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() => store.GetAsync(CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid())));

        Assert.Contains("timeout", e.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }
}

/// <summary>
/// Answers moto cannot give (KMS key errors, throttling, a validation message echoing the value), through
/// the real SDK client whose HTTP layer answers from a script.
/// </summary>
public sealed class SsmCredentialStoreErrorTests
{
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answers[Math.Min(Requests++, answers.Length - 1)]());
    }

    private sealed class ScriptedHttpClientFactory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
    }

    private static Func<HttpResponseMessage> Answer(System.Net.HttpStatusCode status, string body) =>
        () => new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-amz-json-1.1") };

    private static Func<HttpResponseMessage> Error(string code, string message = "scripted") =>
        Answer(System.Net.HttpStatusCode.BadRequest, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = message }));

    private static readonly Func<HttpResponseMessage> Found = Answer(System.Net.HttpStatusCode.OK,
        "{\"Parameter\":{\"Name\":\"/p/x\",\"Type\":\"SecureString\",\"Value\":\"{\\\"access_token\\\":\\\"dp.st.scripted\\\"}\"}}");

    private static readonly CredentialKey Key = CredentialKey.ForVaultConnection(Guid.NewGuid(), Guid.NewGuid());

    private static (SsmCredentialStore Store, ScriptedHandler Handler, CapturingLoggerFactory Logs, IDisposable Client) Create(params Func<HttpResponseMessage>[] answers)
    {
        var handler = new ScriptedHandler(answers);
        var logs = new CapturingLoggerFactory();
        var options = new SsmCredentialStoreOptions { Region = "eu-west-1", PathPrefix = "/p", MaxRetryAttempts = 2 };
        var config = options.ToClientConfig();
        config.HttpClientFactory = new ScriptedHttpClientFactory(handler);
        var client = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials("AKIDSCRIPTED", "scripted-secret-key"), config);
        var store = new SsmCredentialStore(client, Microsoft.Extensions.Options.Options.Create(options), new Microsoft.Extensions.Logging.Logger<SsmCredentialStore>(logs));
        return (store, handler, logs, client);
    }

    [Theory]
    [InlineData("InvalidKeyId")]
    [InlineData("KMSDisabledException")]
    [InlineData("KMSNotFoundException")]
    [InlineData("UnrecognizedClientException")]
    [InlineData("AccessDeniedException")]
    public async Task PutAsync_KeyOrAccessProblem_LogsConfigurationErrorWithoutRetry(string code)
    {
        var (store, handler, logs, client) = Create(Error(code));
        using var _ = client;

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() =>
            store.PutAsync(Key, new Dictionary<string, string> { ["access_token"] = "kms-secret-marker" }));

        Assert.Equal(1, handler.Requests);
        Assert.Contains(code, e.Message);
        Assert.Contains(logs.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Text.Contains("configuration error") && l.Text.Contains(code));
        Assert.DoesNotContain("kms-secret-marker", e.ToString());
        Assert.DoesNotContain(logs.Lines, l => l.Contains("kms-secret-marker"));
    }

    [Fact]
    public async Task PutAsync_ValidationErrorEchoingValue_ThrowsUnavailableWithoutValue()
    {
        var (store, handler, logs, client) = Create(Error("ValidationException", "Value '{\"access_token\":\"echoed-secret-marker\"}' at 'value' failed"));
        using var _ = client;

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() =>
            store.PutAsync(Key, new Dictionary<string, string> { ["access_token"] = "echoed-secret-marker" }));

        Assert.Equal(1, handler.Requests);
        Assert.Contains("ValidationException", e.Message);
        Assert.DoesNotContain("echoed-secret-marker", e.ToString());
        Assert.DoesNotContain(logs.Lines, l => l.Contains("echoed-secret-marker"));
    }

    [Fact]
    public async Task GetAsync_ThrottledThen5xxThenOk_SdkRetriesAndReturnsValue()
    {
        var (store, handler, _, client) = Create(Error("ThrottlingException", "Rate exceeded"), Answer(System.Net.HttpStatusCode.ServiceUnavailable, ""), Found);
        using var _ = client;

        var fields = await store.GetAsync(Key);

        Assert.Equal("dp.st.scripted", fields!["access_token"]);
        Assert.Equal(3, handler.Requests);
    }

    [Fact]
    public async Task GetAsync_AlwaysThrottled_ThrowsUnavailableAfterConfiguredRetries()
    {
        var (store, handler, _, client) = Create(Error("ThrottlingException"));
        using var _ = client;

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() => store.GetAsync(Key));

        Assert.Equal(3, handler.Requests);
        Assert.Contains("ThrottlingException", e.Message);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollection
{
    public const string Name = "AWS environment variables";
}

/// <summary>
/// moto checking signatures, access keys and IAM policies for real, with credentials from the SDK's default
/// chain (environment variables). Runs alone: it sets process variables.
/// </summary>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class SsmCredentialStoreAuthTests : IAsyncLifetime
{
    private static readonly string[] Names = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"];
    private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
    private readonly MotoServerFixture _moto = new() { InitialNoAuthActionCount = 3 };
    private readonly CapturingLoggerFactory _logs = new();

    public async Task InitializeAsync()
    {
        await _moto.InitializeAsync();
        var key = await _moto.CreateIamUserAsync("ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource");
        var immutable = key.GetCredentials();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", immutable.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", immutable.SecretKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
        await _moto.DisposeAsync();
    }

    /// <summary>The store as the portal registers it, with no <see cref="AWSCredentials"/> in the container.</summary>
    private ServiceProvider Portal()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_moto.ConfigurationValues("/auth")).Build();
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(_logs);
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Logger<>));
        services.AddCredentialStore(configuration, Path.GetTempPath());
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task PutAndGet_DefaultChainKey_SignedRequestsAccepted()
    {
        await using var provider = Portal();
        var store = provider.GetRequiredService<ICredentialStore>();
        var key = CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid());

        await store.PutAsync(key, new Dictionary<string, string> { ["account_key"] = "signed-secret-marker" });

        Assert.Equal("signed-secret-marker", (await store.GetAsync(key))!["account_key"]);
    }

    [Fact]
    public async Task DeleteAsync_PolicyWithoutDeleteParameter_LogsConfigurationErrorAndThrowsUnavailable()
    {
        await using var provider = Portal();
        var store = provider.GetRequiredService<ICredentialStore>();
        var key = CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid());
        await store.PutAsync(key, new Dictionary<string, string> { ["account_key"] = "kept-secret-marker" });

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() => store.DeleteAsync(key));

        Assert.Contains("AccessDenied", e.Message);
        Assert.Contains(_logs.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Text.Contains("configuration error"));
        Assert.NotNull(await store.GetAsync(key));
    }

    [Fact]
    public async Task PutAsync_WrongSecretKey_LogsConfigurationErrorWithoutValue()
    {
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "not-the-secret-key");
        await using var provider = Portal();
        var store = provider.GetRequiredService<ICredentialStore>();

        var e = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() =>
            store.PutAsync(CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid()), new Dictionary<string, string> { ["account_key"] = "unsigned-secret-marker" }));

        Assert.Contains(_logs.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Text.Contains("configuration error"));
        Assert.DoesNotContain("unsigned-secret-marker", e.ToString());
        Assert.DoesNotContain("not-the-secret-key", e.ToString());
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("unsigned-secret-marker") || l.Contains("not-the-secret-key"));
    }
}
