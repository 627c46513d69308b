using Dataraven.Core.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;

namespace Dataraven.Core.Persistence;

public static class DataProtectionKeyStorage
{
    /// <summary>
    /// Where the cookie and antiforgery keys live: in the shared PostgreSQL database, so every instance behind
    /// the load balancer reads the same keys; beside the SQLite file otherwise (one instance).
    /// </summary>
    public static IDataProtectionBuilder PersistKeysWithPortalDatabase(this IDataProtectionBuilder builder,
        IConfiguration configuration, string keysFolder) =>
        CoreServiceCollectionExtensions.UsesPostgres(configuration)
            ? builder.PersistKeysToDbContext<PostgresPortalDbContext>()
            : builder.PersistKeysToFileSystem(OwnerOnlyFolder(keysFolder));

    // The key files are written unencrypted (no key-encryption certificate): whoever reads them can forge sign-in cookies.
    private static DirectoryInfo OwnerOnlyFolder(string path)
    {
        OwnerOnly.Folder(path);
        return new DirectoryInfo(path);
    }
}
