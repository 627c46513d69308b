using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Persistence;

public sealed class DatabaseFileTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SqliteDatabase_FileAndFolderAreOwnerOnly()
    {
        await using var portal = await TestPortal.StartAsync();
        await portal.CreateTeamAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(portal.DatabaseFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(portal.DataDir));
    }
}
