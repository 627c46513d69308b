using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Persistence;

public sealed class DatabaseFileTests
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SqliteDatabase_FileAndFolderAreOwnerOnly()
    {
        await using var portal = await TestPortal.StartAsync();
        await portal.CreateTeamAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(portal.DatabaseFile));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(portal.DataDir));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SqliteKeysFolder_NewIsOwnerOnly()
    {
        await using var portal = await TestPortal.StartAsync();
        await portal.CreateTeamAsync();
        await PageForm.LoadAsync(portal, "/account/login");

        var keys = Path.Combine(portal.DataDir, "keys");
        Assert.NotEmpty(Directory.GetFiles(keys, "*.xml"));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(keys));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SqliteKeysFolder_ExistingOpenFolderIsNarrowedToOwnerOnly()
    {
        var keys = Directory.CreateTempSubdirectory("dr-keys-").FullName;
        try
        {
            File.SetUnixFileMode(keys, OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            await using var portal = await TestPortal.StartAsync(new TestPortalOptions { Settings = { ["DataProtection:KeysPath"] = keys } });
            await portal.CreateTeamAsync();
            await PageForm.LoadAsync(portal, "/account/login");

            Assert.NotEmpty(Directory.GetFiles(keys, "*.xml"));
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(keys));
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }
}
