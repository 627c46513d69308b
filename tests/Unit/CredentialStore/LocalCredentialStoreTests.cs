using System.Security.Cryptography;
using System.Text;
using Dataraven.Core.CredentialStore;
using Microsoft.Extensions.Options;

namespace Dataraven.Tests.Unit.CredentialStore;

public sealed class LocalCredentialStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"dr-local-{Guid.NewGuid():N}");
    private static readonly CredentialKey Key = CredentialKey.ForVaultConnection(Guid.NewGuid(), Guid.NewGuid());
    private static readonly Dictionary<string, string> Fields = new() { ["access_token"] = "dp.st.CANARY-local-store-0001" };

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private LocalCredentialStore Store(string? key = null, params string[] retired) =>
        new(Options.Create(new LocalCredentialStoreOptions { Key = key, RetiredKeys = [.. retired] }), _root);

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private string FileOf(CredentialKey key) => Path.Combine(_root, "data/credentials", key.RelativePath + ".json");

    [Fact]
    public async Task PutGetDelete_RoundTrips()
    {
        var store = Store(NewKey());
        await store.PutAsync(Key, Fields);
        Assert.Equal(Fields, await store.GetAsync(Key));
        var listed = new List<CredentialKey>();
        await foreach (var k in store.ListAsync())
        {
            listed.Add(k);
        }
        Assert.Equal([Key], listed);
        await store.DeleteAsync(Key);
        Assert.Null(await store.GetAsync(Key));
        await store.DeleteAsync(Key);
    }

    [Fact]
    public async Task Put_StoresNoPlaintext_AndUsesAFreshNonceEachWrite()
    {
        var store = Store(NewKey());
        await store.PutAsync(Key, Fields);
        var first = await File.ReadAllTextAsync(FileOf(Key));
        await store.PutAsync(Key, Fields);
        var second = await File.ReadAllTextAsync(FileOf(Key));
        Assert.DoesNotContain("CANARY", first);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("dp.st.CANARY")), first);
        Assert.NotEqual(first, second);
        Assert.Contains(store.KeyId, first);
    }

    [Fact]
    public async Task Get_OfAFileCopiedOntoAnotherObject_FailsItsIntegrityCheck()
    {
        var store = Store(NewKey());
        await store.PutAsync(Key, Fields);
        var other = CredentialKey.ForVaultConnection(Key.TeamId, Guid.NewGuid());
        Directory.CreateDirectory(Path.GetDirectoryName(FileOf(other))!);
        File.Copy(FileOf(Key), FileOf(other));
        var error = await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() => store.GetAsync(other));
        Assert.DoesNotContain("CANARY", error.Message);
    }

    [Fact]
    public async Task Get_AfterKeyRotation_ReadsValuesWrittenWithARetiredKey()
    {
        var oldKey = NewKey();
        await Store(oldKey).PutAsync(Key, Fields);
        var rotated = Store(NewKey(), oldKey);
        Assert.Equal(Fields, await rotated.GetAsync(Key));
        await Assert.ThrowsAsync<CredentialStoreUnavailableException>(() => Store(NewKey()).GetAsync(Key));
    }

    [Fact]
    public void KeyFile_IsCreatedOnFirstRun_OwnerOnly_AndReused()
    {
        var first = Store();
        var file = Path.Combine(_root, "data/credential-store.key");
        Assert.True(File.Exists(file));
        Assert.True(OperatingSystem.IsLinux(), "The portal runs on Linux here.");
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Equal(first.KeyId, Store().KeyId);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Constructor_WithABadKey_SaysWhichSetting(string key)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Store(key));
        Assert.Contains("CredentialStore:Local:Key", error.Message);
    }

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Put_CreatesTheFileAndItsFoldersOwnerOnly()
    {
        await Store(NewKey()).PutAsync(Key, Fields);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(FileOf(Key)));
        var storeRoot = Path.Combine(_root, "data/credentials");
        foreach (var folder in Directory.EnumerateDirectories(storeRoot, "*", SearchOption.AllDirectories).Append(storeRoot))
        {
            Assert.True(OwnerOnlyFolder == File.GetUnixFileMode(folder), $"{Path.GetRelativePath(_root, folder)}: {File.GetUnixFileMode(folder)}");
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Put_InterruptedBeforeTheRename_LeavesOnlyAnOwnerOnlyTempFile()
    {
        var store = Store(NewKey());
        // A folder where the file should go makes the final rename fail, as a crash right before it would.
        Directory.CreateDirectory(FileOf(Key));

        await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync(Key, Fields));

        var temp = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(FileOf(Key))!, "*.tmp"));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(temp));
        Assert.DoesNotContain("CANARY", await File.ReadAllTextAsync(temp));
    }
}
