using Dataraven.Core.Checks;
using Dataraven.Tests.Fakes;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>GCS against a token endpoint that verifies the JWT assertion; B2 against b2_authorize_account's documented contract.</summary>
public sealed class GcsAndB2CheckTests : IAsyncLifetime
{
    private FakeGoogleTokenServer _google = null!;
    private FakeB2Server _b2 = null!;
    private CheckerHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _google = await FakeGoogleTokenServer.StartAsync();
        _b2 = await FakeB2Server.StartAsync();
        _harness = await CheckerHarness.StartAsync(new Dictionary<string, string?> { ["Storage:B2:BaseUrl"] = _b2.BaseUrl });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _google.DisposeAsync();
        await _b2.DisposeAsync();
    }

    private Task<SecretCheck> GcsAsync(string json) => _harness.CheckDraftAsync(
        CheckerHarness.Direct("gcs", "gcs_service_account", new() { ["service_account_json"] = json }));

    private Task<SecretCheck> B2Async(string keyId, string key) => _harness.CheckDraftAsync(
        CheckerHarness.Direct("b2", "b2_application_key", new() { ["application_key_id"] = keyId, ["application_key"] = key }));

    [Fact]
    public async Task Gcs_KnownKey_TokenIssued_Ok()
    {
        var check = await GcsAsync(_google.CreateServiceAccountJson());

        Assert.True(check.Status == CheckStatus.Ok, check.Storage.Message);
        Assert.Single(_google.Requests, r => r.Path == "/token" && r.StatusCode == 200);
    }

    [Fact]
    public async Task Gcs_KeyGoogleDoesNotKnow_Rejected()
    {
        _google.CreateServiceAccountJson("other@project.iam.gserviceaccount.com");

        var check = await GcsAsync(_google.CreateUnknownKeyJson("other@project.iam.gserviceaccount.com"));

        Assert.Equal(CheckStatus.Rejected, check.Status);
        Assert.Contains("invalid_grant", check.Storage.Message);
        Assert.Single(_google.Requests, r => r.Path == "/token" && r.StatusCode == 400);
        Assert.Contains("Invalid JWT Signature", check.Storage.Message);
    }

    [Theory]
    [InlineData("{\"type\":\"service_account\",\"client_email\":\"a@b.iam.gserviceaccount.com\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"}", "private_key")]
    [InlineData("{\"type\":\"authorized_user\",\"client_email\":\"a@b\",\"private_key\":\"x\"}", "service_account")]
    [InlineData("{\"type\":\"service_account\",\"private_key\":\"x\"}", "client_email")]
    [InlineData("not json", "JSON")]
    public async Task Gcs_BrokenKeyFile_RejectedLocallyWithoutACall(string json, string said)
    {
        var check = await GcsAsync(json);

        Assert.Equal(CheckStatus.Rejected, check.Status);
        Assert.Contains(said, check.Storage.Message);
        Assert.Empty(_google.Requests);
    }

    [Fact]
    public async Task B2_GoodKey_OkWithCapabilitiesAndExpiry()
    {
        var expires = DateTimeOffset.UtcNow.AddDays(5);
        _b2.AddKey("0051234567890ab0000000001", "K005goodApplicationKeyValue1234", ["listBuckets", "listFiles", "readFiles"], expires);

        var check = await B2Async("0051234567890ab0000000001", "K005goodApplicationKeyValue1234");

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Equal(new StorageCapabilities(List: true, Read: true, Write: false), check.Storage.Capabilities);
        Assert.True(Math.Abs((check.ExpiresAt!.Value - expires.UtcDateTime).TotalSeconds) < 1);
    }

    [Fact]
    public async Task B2_WrongKey_Rejected()
    {
        _b2.AddKey("0051234567890ab0000000002", "K005theRealKeyValue123456789", ["listFiles"]);

        var check = await B2Async("0051234567890ab0000000002", "K005notTheRealKeyValue000000");

        Assert.Equal(CheckStatus.Rejected, check.Status);
        Assert.Contains("unauthorized", check.Storage.Message);
    }

    [Fact]
    public async Task B2_ServiceUnavailable_Unreachable()
    {
        _b2.AddKey("0051234567890ab0000000003", "K005someKeyValue1234567890", ["listFiles"]);
        _b2.FailNext(1, FakeFailure.ServiceUnavailable);

        var check = await B2Async("0051234567890ab0000000003", "K005someKeyValue1234567890");

        Assert.Equal(CheckStatus.Unreachable, check.Status);
    }
}
