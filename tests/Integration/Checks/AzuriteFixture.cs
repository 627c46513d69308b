using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>
/// Azurite's blob service (npm azurite 3.37.0, installed by test.sh into ~/.cache/dataraven/azurite or $AZURITE_BLOB_PATH)
/// on 127.0.0.1 and a free port, in memory, with the well-known development account and one container. Fails (never
/// skips) when Azurite is not installed.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string Container = "checks";

    private Process? _process;

    /// <summary>The account's blob endpoint, e.g. <c>http://127.0.0.1:PORT/devstoreaccount1</c> (<c>Storage:Azure:ServiceUrl</c>).</summary>
    public string ServiceUrl { get; private set; } = "";

    public StorageSharedKeyCredential Key { get; } = new(AccountName, AccountKey);

    public static string? FindExecutable()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AZURITE_BLOB_PATH");
        if (!string.IsNullOrWhiteSpace(fromEnv) && File.Exists(fromEnv)) return fromEnv;
        var home = Environment.GetEnvironmentVariable("HOME") ?? "";
        var cached = Path.Combine(home, ".cache", "dataraven", "azurite", "node_modules", ".bin", "azurite-blob");
        return File.Exists(cached) ? cached : null;
    }

    public async Task InitializeAsync()
    {
        var exe = FindExecutable() ?? throw new InvalidOperationException(
            "azurite-blob was not found (~/.cache/dataraven/azurite or $AZURITE_BLOB_PATH): run ./test.sh once, or " +
            "`npm install --prefix ~/.cache/dataraven/azurite azurite@3.37.0`.");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl" })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("azurite-blob did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ServiceUrl = $"http://127.0.0.1:{port}/{AccountName}";

        var service = new BlobServiceClient(new Uri(ServiceUrl), Key);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await service.GetBlobContainerClient(Container).CreateIfNotExistsAsync();
                await service.GetBlobContainerClient(Container).GetBlobClient("hello.txt").UploadAsync(BinaryData.FromString("hello"), overwrite: true);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(250);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
