namespace Dataraven.Portal.Hosting;

/// <summary>
/// The folder holding the one configuration file (appsettings.json at the repo root). Relative paths in
/// configuration (the SQLite file, the local credential store) resolve against it, whatever the working directory.
/// </summary>
public static class PortalPaths
{
    public static string FindConfigRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "appsettings.json")) &&
                    File.Exists(Path.Combine(dir.FullName, "Dataraven.Portal.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        // Published layout: appsettings.json beside the binaries.
        return File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))
            ? Directory.GetCurrentDirectory()
            : AppContext.BaseDirectory;
    }
}
