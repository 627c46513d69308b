using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Dataraven.Core.CredentialStore.Ssm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dataraven.Tests.Unit.CredentialStore;

/// <summary>
/// A real SSM endpoint for tests: starts <c>moto_server -H 127.0.0.1 -p {free port}</c>, waits until it
/// answers, and stops it (the whole process tree it started) on dispose. When moto_server is not
/// installed, <see cref="InitializeAsync"/> throws, so every test using the fixture FAILS with that
/// message (never a silent skip). moto does not check signatures: any key pair works.
/// <para>
/// Use it as an xunit class/collection fixture, or create and <see cref="InitializeAsync"/> one yourself.
/// For a WebApplicationFactory, add <see cref="ConfigurationValues"/> to the configuration and register
/// <see cref="Credentials"/> as the <see cref="AWSCredentials"/> singleton (AddSsmCredentialStore uses it).
/// </para>
/// </summary>
public sealed class MotoServerFixture : IAsyncLifetime, IDisposable
{
    public const string AccessKeyId = "moto-test-access-key";
    public const string SecretAccessKey = "moto-test-secret-key";
    public const string Region = "us-east-1";

    /// <summary>Searched in this order: this environment variable, PATH, pyenv's shim.</summary>
    public const string ExecutableVariable = "MOTO_SERVER_PATH";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly object _outputLock = new();
    private readonly Queue<string> _output = new();
    private Process? _process;
    private Uri? _endpoint;
    private IAmazonSimpleSystemsManagement? _client;

    /// <summary>The emulator's base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint => _endpoint ?? throw new InvalidOperationException("The moto server is not started (call InitializeAsync).");

    public int Port => Endpoint.Port;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// When set, moto lets this many requests through and then checks SigV4 signatures, access keys and
    /// IAM policies for real (<c>INITIAL_NO_AUTH_ACTION_COUNT</c>); spend them on <see cref="CreateIamUserAsync"/>.
    /// </summary>
    public int? InitialNoAuthActionCount { get; init; }

    /// <summary>A key pair that moto accepts (it does not check signatures).</summary>
    public AWSCredentials Credentials { get; } = new BasicAWSCredentials(AccessKeyId, SecretAccessKey);

    /// <summary>Configuration that selects the SSM store on this emulator (add to a WebApplicationFactory's configuration).</summary>
    public IReadOnlyDictionary<string, string?> ConfigurationValues(string pathPrefix = "/dataraven") => new Dictionary<string, string?>
    {
        ["CredentialStore:Provider"] = "Ssm",
        ["CredentialStore:Ssm:ServiceUrl"] = Endpoint.ToString(),
        ["CredentialStore:Ssm:Region"] = Region,
        ["CredentialStore:Ssm:PathPrefix"] = pathPrefix,
    };

    /// <summary>Options pointing at this emulator, with few retries for tests.</summary>
    public SsmCredentialStoreOptions Options(string pathPrefix = "/dataraven") => new()
    {
        ServiceUrl = Endpoint.ToString(),
        Region = Region,
        PathPrefix = pathPrefix,
        MaxRetryAttempts = 2,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>An SDK client on this emulator with <see cref="Credentials"/> (the caller disposes it).</summary>
    public IAmazonSimpleSystemsManagement CreateClient(SsmCredentialStoreOptions? options = null) =>
        SsmRegistration.CreateClient(options ?? Options(), Credentials);

    /// <summary>The fixture's own client (disposed with it), for stores and for looking at parameters directly.</summary>
    public IAmazonSimpleSystemsManagement Client => _client ??= CreateClient();

    /// <summary>A store on this emulator; <paramref name="configure"/> changes store settings (prefix, KMS key), not the client's.</summary>
    public SsmCredentialStore CreateStore(string pathPrefix = "/dataraven", ILoggerFactory? loggerFactory = null,
        Action<SsmCredentialStoreOptions>? configure = null, IAmazonSimpleSystemsManagement? client = null)
    {
        var options = Options(pathPrefix);
        configure?.Invoke(options);
        return new SsmCredentialStore(client ?? Client, Microsoft.Extensions.Options.Options.Create(options),
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SsmCredentialStore>());
    }

    public static string? FindExecutable()
    {
        var fromEnv = Environment.GetEnvironmentVariable(ExecutableVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv) && File.Exists(fromEnv))
        {
            return fromEnv;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "moto_server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        var home = Environment.GetEnvironmentVariable("HOME");
        var shim = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".pyenv", "shims", "moto_server");
        return shim is not null && File.Exists(shim) ? shim : null;
    }

    public async Task InitializeAsync()
    {
        var exe = FindExecutable() ?? throw new InvalidOperationException(
            "moto_server was not found (looked at $" + ExecutableVariable + ", PATH and ~/.pyenv/shims). "
            + "These tests need a real SSM emulator: install it with `pip install 'moto[server]==5.2.1'` "
            + "or set " + ExecutableVariable + " to its path.");

        var port = FreePort();
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-H");
        start.ArgumentList.Add("127.0.0.1");
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Whatever AWS settings the developer has must not reach the emulator.
        foreach (var name in new[] { "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
        {
            start.Environment.Remove(name);
        }

        if (InitialNoAuthActionCount is { } count)
        {
            start.Environment["INITIAL_NO_AUTH_ACTION_COUNT"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        if (!_process.Start())
        {
            throw new InvalidOperationException($"moto_server ({exe}) did not start.");
        }
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _endpoint = new Uri($"http://127.0.0.1:{port}/");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"moto_server exited with code {_process.ExitCode} before answering on port {port}. Output:\n{RecentOutput()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(_endpoint, "moto-api/"));
                return; // any HTTP answer: the server is up
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                Stop();
                throw new InvalidOperationException($"moto_server did not answer on port {port} within {StartTimeout.TotalSeconds} s. Output:\n{RecentOutput()}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Creates an IAM user allowed <paramref name="allowedActions"/> on every resource and returns its new
    /// access key: three IAM calls, sent unsigned within <see cref="InitialNoAuthActionCount"/>.
    /// </summary>
    public async Task<BasicAWSCredentials> CreateIamUserAsync(params string[] allowedActions)
    {
        var user = "portal-" + Guid.NewGuid().ToString("N")[..8];
        var policy = System.Text.Json.JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[] { new { Effect = "Allow", Action = allowedActions, Resource = "*" } },
        });
        await IamAsync(new() { ["Action"] = "CreateUser", ["UserName"] = user });
        await IamAsync(new() { ["Action"] = "PutUserPolicy", ["UserName"] = user, ["PolicyName"] = "portal", ["PolicyDocument"] = policy });
        var key = System.Xml.Linq.XDocument.Parse(await IamAsync(new() { ["Action"] = "CreateAccessKey", ["UserName"] = user }))
            .Descendants().Where(e => e.Name.LocalName is "AccessKeyId" or "SecretAccessKey").ToDictionary(e => e.Name.LocalName, e => e.Value);
        return new BasicAWSCredentials(key["AccessKeyId"], key["SecretAccessKey"]);
    }

    private async Task<string> IamAsync(Dictionary<string, string> form)
    {
        form["Version"] = "2010-05-08";
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new FormUrlEncodedContent(form) };
        // Unchecked while the no-auth allowance lasts; moto reads the service (iam) from the credential scope.
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDSETUP/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"IAM {form["Action"]} on moto failed: {body}");
    }

    /// <summary>Forgets every parameter (POST /moto-api/reset).</summary>
    public async Task ResetAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Endpoint, "moto-api/reset"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Stops the emulator (for fault tests); the endpoint then refuses connections.</summary>
    public Task StopAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop();
        _client?.Dispose();
        _client = null;
    }

    public string RecentOutput()
    {
        lock (_outputLock)
        {
            return string.Join('\n', _output);
        }
    }

    private void Stop()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
        _process = null;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_outputLock)
        {
            _output.Enqueue(line);
            while (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
