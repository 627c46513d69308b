using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// A real PostgreSQL server for the tests: <c>initdb</c> and <c>pg_ctl</c> in a temp folder on a free port of
/// 127.0.0.1 (as the <c>postgres</c> user when the tests run as root, which PostgreSQL requires), started once
/// per test run and stopped when the test process exits. Each test class takes a database of its own
/// (<see cref="CreateDatabaseAsync"/>). Without the server binaries every test using it FAILS with how to
/// install them (never a silent skip).
/// </summary>
public sealed class PostgresServer
{
    public const string User = "portal";
    private const string DataDirPrefix = "dr-pg-";
    private static readonly SemaphoreSlim StartGate = new(1, 1);
    private static PostgresServer? _shared;

    private readonly string _bin;
    private readonly string _dataDir;

    private PostgresServer(string bin, string dataDir, int port)
    {
        _bin = bin;
        _dataDir = dataDir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server of this test run, started on first use.</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await StartGate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync();
        }
        finally
        {
            StartGate.Release();
        }
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Database = database,
    }.ConnectionString;

    /// <summary>A new empty database; returns its Npgsql connection string.</summary>
    public Task<string> CreateDatabaseAsync(string prefix = "portal") => CreateAsync(prefix, "");

    /// <summary>A new database with the tables and rows of <paramref name="source"/> (a connection string), which nobody may be connected to.</summary>
    public Task<string> CopyDatabaseAsync(string source, string prefix) =>
        CreateAsync(prefix, $" TEMPLATE \"{new NpgsqlConnectionStringBuilder(source).Database}\"");

    private async Task<string> CreateAsync(string prefix, string template)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{template}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(v => Path.Combine(v, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL was not found under /usr/lib/postgresql/*/bin. These tests need a real server: " +
            "`apt-get install -y postgresql` (test.sh does it where it is missing).");
        RemoveStoppedServers();
        var dataDir = Directory.CreateTempSubdirectory(DataDirPrefix).FullName;
        var port = FreePort();
        var server = new PostgresServer(bin, dataDir, port);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", dataDir);
        }
        await server.RunAsPostgresAsync("initdb", "-D", dataDir, "-A", "trust", "-U", User, "--no-sync", "-E", "UTF8");
        // A throwaway server: durability settings off for speed; enough connections for two portals racing.
        var options = string.Join(' ',
            $"-p {port} -k {dataDir} -c listen_addresses=127.0.0.1 -c max_connections=300",
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await server.RunAsPostgresAsync("pg_ctl", "-D", dataDir, "-o", options, "-l", Path.Combine(dataDir, "log"), "-w", "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>
    /// The test host may be ended before <see cref="Stop"/> has removed its folder; earlier runs' folders of
    /// servers no longer running (no postmaster.pid, and not just being created by a run starting now) are removed here.
    /// </summary>
    private static void RemoveStoppedServers()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), DataDirPrefix + "*"))
        {
            if (!File.Exists(Path.Combine(dir, "postmaster.pid")) && Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddMinutes(-10))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another run's, still in use: left to that run.
                }
            }
        }
    }

    private void Stop()
    {
        try
        {
            RunAsPostgresAsync("pg_ctl", "-D", _dataDir, "-m", "immediate", "-w", "stop").GetAwaiter().GetResult();
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // The process is exiting; a leftover temp folder is all that remains.
        }
    }

    private Task RunAsPostgresAsync(string tool, params string[] args)
    {
        var exe = Path.Combine(_bin, tool);
        if (Environment.UserName != "root")
        {
            return RunAsync(exe, args);
        }
        var command = string.Join(' ', new[] { exe }.Concat(args).Select(Quote));
        return RunAsync("su", "postgres", "-s", "/bin/sh", "-c", command);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task RunAsync(string exe, params string[] args)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{exe} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{exe} {string.Join(' ', args)} exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}:\n{await stdout}\n{await stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
