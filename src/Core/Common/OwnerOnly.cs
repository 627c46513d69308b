namespace Dataraven.Core.Common;

/// <summary>Files and folders that hold credentials or the database: readable by the portal's own user only.</summary>
public static class OwnerOnly
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder and its missing parents owner-only, and narrows the folder if it existed already.</summary>
    public static void Folder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Create(path);
        File.SetUnixFileMode(path, FolderMode);
    }

    // Directory.CreateDirectory(path, mode) gives the mode to the last folder only, not to the parents it creates.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Create(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }
        if (Path.GetDirectoryName(path) is { } parent)
        {
            Create(parent);
        }
        Directory.CreateDirectory(path, FolderMode);
    }

    /// <summary>Options for a new file that is owner-only from its first byte (not narrowed after writing).</summary>
    public static FileStreamOptions NewFile()
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }
        return options;
    }

    /// <summary>Creates an empty owner-only file, or narrows the one that exists.</summary>
    public static void EmptyFile(string path)
    {
        try
        {
            new FileStream(path, NewFile()).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, FileMode);
            }
        }
    }
}
