namespace Dataraven.Portal.Hosting;

/// <summary>
/// The portal's content root: the folder of its binaries (a publish holds appsettings.json and wwwroot there), unless
/// <c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c> or <c>DOTNET_CONTENTROOT</c> names another one. It is also the
/// folder relative paths in configuration (the SQLite file, the local store, the keys) resolve against.
/// </summary>
public static class ContentRoot
{
    private const string Key = "contentRoot";

    /// <summary>
    /// ASP.NET Core's own default is the working folder, where a publish started from elsewhere finds no static files.
    /// A relative folder given here resolves against the working folder, as a path typed in a shell does.
    /// </summary>
    public static string For(string[] args)
    {
        var given = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[Key];
        return string.IsNullOrWhiteSpace(given) ? AppContext.BaseDirectory : Path.GetFullPath(given);
    }
}
