using Azure.Storage.Sas;
using Dataraven.Core.Checks;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>Azure Blob account keys and SAS URLs against Azurite.</summary>
public sealed class AzureBlobCheckTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private CheckerHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await CheckerHarness.StartAsync(new Dictionary<string, string?> { ["Storage:Azure:ServiceUrl"] = azurite.ServiceUrl });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<SecretCheck> AccountKeyAsync(string key) => _harness.CheckDraftAsync(CheckerHarness.Direct("azure_blob", "azure_account_key",
        new() { ["account_name"] = AzuriteFixture.AccountName, ["account_key"] = key }));

    private Task<SecretCheck> SasAsync(string sasUrl) =>
        _harness.CheckDraftAsync(CheckerHarness.Direct("azure_blob", "azure_sas_url", new() { ["sas_url"] = sasUrl }));

    /// <summary>A container SAS as the Azure portal gives it (public host); the check sends it to Azurite (Storage:Azure:ServiceUrl).</summary>
    private string ContainerSas(DateTimeOffset expiresOn, BlobContainerSasPermissions permissions)
    {
        var sas = new BlobSasBuilder(permissions, expiresOn) { BlobContainerName = AzuriteFixture.Container, Resource = "c" }
            .ToSasQueryParameters(azurite.Key);
        return $"https://{AzuriteFixture.AccountName}.blob.core.windows.net/{AzuriteFixture.Container}?{sas}";
    }

    [Fact]
    public async Task AccountKey_Good_OkWithEveryCapability()
    {
        var check = await AccountKeyAsync(AzuriteFixture.AccountKey);

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Equal(new StorageCapabilities(true, true, true), check.Storage.Capabilities);
    }

    [Fact]
    public async Task AccountKey_WrongKey_Rejected()
    {
        var wrong = Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());

        var check = await AccountKeyAsync(wrong);

        Assert.Equal(CheckStatus.Rejected, check.Status);
        // Azure says AuthenticationFailed, Azurite AuthorizationFailure: either way the credential was refused.
        Assert.Contains("refused", check.Storage.Message);
    }

    [Fact]
    public async Task AccountKey_NotBase64Of64Bytes_RejectedLocally()
    {
        var check = await AccountKeyAsync("c2hvcnQta2V5");

        Assert.Equal(CheckStatus.Rejected, check.Status);
        Assert.Contains("base64 of 64 bytes", check.Storage.Message);
    }

    [Fact]
    public async Task Sas_Valid_OkWithPermissionsAndExpiry()
    {
        var expires = DateTimeOffset.UtcNow.AddDays(20);

        var check = await SasAsync(ContainerSas(expires, BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Equal(new StorageCapabilities(List: true, Read: true, Write: false), check.Storage.Capabilities);
        Assert.NotNull(check.ExpiresAt);
        Assert.True(Math.Abs((check.ExpiresAt!.Value - expires.UtcDateTime).TotalSeconds) < 2);
    }

    [Fact]
    public async Task Sas_WithoutListPermission_CheckedWithAccountInformation()
    {
        var check = await SasAsync(ContainerSas(DateTimeOffset.UtcNow.AddDays(1), BlobContainerSasPermissions.Read));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.False(check.Storage.Capabilities.List);
    }

    [Fact]
    public async Task Sas_Expired_ExpiredWithItsDate()
    {
        var expired = DateTimeOffset.UtcNow.AddDays(-3);

        var check = await SasAsync(ContainerSas(expired, BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List));

        Assert.Equal(CheckStatus.Expired, check.Status);
        Assert.Equal(CheckStatus.Expired, check.ErrorClass);
        Assert.NotNull(check.ExpiresAt);
    }

    [Fact]
    public async Task Sas_WrongSignature_Rejected()
    {
        var good = ContainerSas(DateTimeOffset.UtcNow.AddDays(1), BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List);
        var sig = System.Web.HttpUtility.ParseQueryString(new Uri(good).Query)["sig"]!;
        var forged = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sig)));
        var tampered = good.Replace("sig=" + Uri.EscapeDataString(sig), "sig=" + Uri.EscapeDataString(forged), StringComparison.Ordinal);
        Assert.NotEqual(good, tampered);

        var check = await SasAsync(tampered);

        Assert.Equal(CheckStatus.Rejected, check.Status);
        // Azure says AuthenticationFailed, Azurite AuthorizationFailure: either way the credential was refused.
        Assert.Contains("refused", check.Storage.Message);
    }
}
