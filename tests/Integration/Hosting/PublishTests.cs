using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.CredentialStore;

namespace Dataraven.Tests.Hosting;

/// <summary>
/// The published portal as a user deploys it: started from a folder that is not its own (a systemd unit without
/// WorkingDirectory, a container), or inside its folder with the platform's port convention; stopped with SIGTERM.
/// </summary>
public sealed partial class PublishTests(PublishFixture publish) : IClassFixture<PublishFixture>, IDisposable
{
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("dr-cwd-").FullName;
    private readonly string _data = Directory.CreateTempSubdirectory("dr-data-").FullName;

    public void Dispose()
    {
        Directory.Delete(_elsewhere, recursive: true);
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Publish_CarriesAppSettings_AndThePublishedPortalUsesIt()
    {
        var published = Path.Combine(publish.Folder, "appsettings.json");
        Assert.True(File.Exists(published), "appsettings.json is missing from the publish output");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(TestPortal.RepoRoot, "appsettings.json")), await File.ReadAllTextAsync(published));
        Assert.DoesNotContain("\"Urls\"", await File.ReadAllTextAsync(published));
        Assert.False(File.Exists(Path.Combine(publish.Folder, "Properties", "launchSettings.json")), "launchSettings.json is for dotnet run only");

        // Started from an unrelated folder: relative paths in the file resolve beside the binaries, and its
        // log levels apply (no EF command text at Information).
        var run = await PublishedPortal.CommandAsync(publish, _elsewhere, new Dictionary<string, string>(),
            "bootstrap", "--team", "Published", "--email", "owner@example.com", "--password", TestPortal.Password);
        Assert.True(run.Code == 0, run.Output);
        var line = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.TrimStart().StartsWith('{'));
        Assert.StartsWith("dr_", (string?)JsonNode.Parse(line)!["api_key"]);
        Assert.True(File.Exists(Path.Combine(publish.Folder, "data", "portal.db")), "the database was not created under the publish folder");
        Assert.False(Directory.Exists(Path.Combine(_elsewhere, "data")));
        Assert.DoesNotContain("Executed DbCommand", run.Output);
    }

    [Fact]
    public async Task StartedFromAnotherFolder_EveryStylesheetAndScriptOfTheSignInPage_IsServedWithItsBytesAndType()
    {
        await using var portal = await StartElsewhereAsync();
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = portal.Address };

        var page = await http.GetStringAsync("/account/login");
        var assets = Assets(page);
        Assert.Contains(assets, a => a.Url.Contains("MudBlazor.min") && a.Url.EndsWith(".css"));
        Assert.Contains(assets, a => a.Url == "_framework/blazor.web.js");
        Assert.True(assets.Count >= 6, string.Join(", ", assets));

        var compressed = 0;
        foreach (var (url, type) in assets)
        {
            using var get = await http.GetAsync(url);
            var bytes = await get.Content.ReadAsByteArrayAsync();
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET {url}: {get.StatusCode}");
            Assert.True(bytes.Length > 0, $"GET {url} answered an empty body");
            Assert.Equal(type, get.Content.Headers.ContentType?.MediaType);

            using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            Assert.True(head.StatusCode == HttpStatusCode.OK, $"HEAD {url}: {head.StatusCode}");
            Assert.Equal(type, head.Content.Headers.ContentType?.MediaType);
            Assert.True(head.Content.Headers.ContentLength is null or > 0, $"HEAD {url} announces an empty body");

            // What a browser gets asking for gzip: the compressed variant, whose bytes decompress to the file. The SDK
            // gives a package's files under their fingerprinted names (@Assets[...] of _content/) no compressed variant.
            using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, url);
            gzipRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var gzip = await http.SendAsync(gzipRequest);
            Assert.Equal(HttpStatusCode.OK, gzip.StatusCode);
            Assert.Equal(type, gzip.Content.Headers.ContentType?.MediaType);
            var body = await gzip.Content.ReadAsByteArrayAsync();
            if (gzip.Content.Headers.ContentEncoding.Contains("gzip"))
            {
                compressed++;
                await using var unzipped = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                await unzipped.CopyToAsync(plain);
                body = plain.ToArray();
            }
            else
            {
                Assert.StartsWith("_content/", url);
            }
            Assert.True(bytes.AsSpan().SequenceEqual(body), $"GET {url} with gzip is not the file");
        }
        Assert.True(compressed >= assets.Count - 2, $"{compressed} of {assets.Count} served compressed");
    }

    [Fact]
    public async Task InsideThePublishFolder_WithOnlyAspNetCoreHttpPorts_ItListensOnThatPort()
    {
        var port = PublishedPortal.FreePort();
        var environment = PublishedPortal.DataIn(_data);
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var portal = await PublishedPortal.StartAsync(publish, publish.Folder, new Uri($"http://127.0.0.1:{port}"), environment);

        using var http = new HttpClient { BaseAddress = portal.Address };
        Assert.Equal("""{"status":"healthy"}""", await http.GetStringAsync("/healthz"));
        Assert.Contains($"Now listening on: http://[::]:{port}", portal.Log);
        Assert.DoesNotContain("5080", portal.Log);
    }

    [Fact]
    public async Task Readyz_IsUnavailableWhileTheSsmStoreIsDown_AndReadyAgainWhenItIsBack()
    {
        using var moto = new MotoServerFixture();
        await moto.InitializeAsync();
        var environment = PublishedPortal.DataIn(_data);
        environment["CredentialStore__Provider"] = "Ssm";
        environment["CredentialStore__Ssm__ServiceUrl"] = moto.Endpoint.ToString();
        environment["CredentialStore__Ssm__Region"] = MotoServerFixture.Region;
        environment["CredentialStore__Ssm__MaxRetryAttempts"] = "1";
        environment["AWS_ACCESS_KEY_ID"] = MotoServerFixture.AccessKeyId;
        environment["AWS_SECRET_ACCESS_KEY"] = MotoServerFixture.SecretAccessKey;
        await using var portal = await StartElsewhereAsync(environment);
        using var http = new HttpClient { BaseAddress = portal.Address };

        await AssertReadyzAsync(http, HttpStatusCode.OK, """{"status":"healthy","checks":{"database":"healthy","credential_store":"healthy"}}""");

        await moto.StopAsync();
        await AssertReadyzAsync(http, HttpStatusCode.ServiceUnavailable, """{"status":"unhealthy","checks":{"database":"healthy","credential_store":"unreachable"}}""");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);

        using var restarted = await MotoOnPortAsync(moto.Port);
        await AssertReadyzAsync(http, HttpStatusCode.OK, """{"status":"healthy","checks":{"database":"healthy","credential_store":"healthy"}}""");
    }

    [Fact]
    public async Task Sigterm_FinishesTheRequestInFlight_AndExitsZeroWithinTheShutdownTimeout()
    {
        await using var doppler = await FakeDopplerServer.StartAsync();
        doppler.AcceptToken(ProviderFakes.DopplerToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        doppler.HangDuration = TimeSpan.FromSeconds(3);
        var environment = PublishedPortal.DataIn(_data);
        environment["Vaults__Doppler__BaseUrl"] = doppler.BaseUrl;
        environment["Vaults__AttemptTimeoutSeconds"] = "10";
        environment["Vaults__TimeoutSeconds"] = "20";
        environment["Vaults__RetryBaseDelaySeconds"] = "0.05";
        environment["ShutdownTimeoutSeconds"] = "15";
        var bootstrap = await PublishedPortal.CommandAsync(publish, _elsewhere, environment,
            "bootstrap", "--team", "Acme", "--email", "owner@example.com", "--password", TestPortal.Password);
        Assert.True(bootstrap.Code == 0, bootstrap.Output);
        var created = JsonNode.Parse(bootstrap.Output.Split('\n').Single(l => l.TrimStart().StartsWith('{')))!;
        await using var portal = await StartElsewhereAsync(environment);
        using var http = new HttpClient { BaseAddress = portal.Address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["api_key"]!);

        // Doppler hangs 3 s on the first call (then 504, retried): the create is in flight when SIGTERM arrives.
        doppler.FailNext(1, FakeFailure.Hang);
        var inFlight = http.PostAsync($"/v1/teams/{created["team_id"]}/vault-connections", JsonContent.Create(
            ProviderFakes.ValidBody("doppler", "prod-doppler")));
        await WaitUntilAsync(() => doppler.RequestsStarted > 0, portal);
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        var exit = portal.TerminateAsync(TimeSpan.FromSeconds(15));

        using var response = await inFlight;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{portal.Log}");
        Assert.True(await exit == 0, $"exit code {(portal.HasExited ? (await exit)?.ToString() : "none: still running")}\n{portal.Log}");
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(15), $"stopped after {stopped.Elapsed}");
        Assert.Contains("Application is shutting down", portal.Log);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/healthz"));
    }

    private Task<PublishedPortal> StartElsewhereAsync(Dictionary<string, string>? environment = null)
    {
        environment ??= PublishedPortal.DataIn(_data);
        var address = new Uri($"http://127.0.0.1:{PublishedPortal.FreePort()}");
        environment["ASPNETCORE_URLS"] = address.ToString();
        return PublishedPortal.StartAsync(publish, _elsewhere, address, environment);
    }

    /// <summary>The stylesheets and scripts a page links, with the type each must be served with.</summary>
    private static List<(string Url, string Type)> Assets(string html) =>
    [
        .. StylesheetLink().Matches(html).Select(m => (m.Groups["href"].Value, "text/css")),
        .. ScriptTag().Matches(html).Select(m => (m.Groups["src"].Value, "text/javascript")),
    ];

    [GeneratedRegex("""<link[^>]*rel="stylesheet"[^>]*href="(?<href>[^"]+)"|<link[^>]*href="(?<href>[^"]+)"[^>]*rel="stylesheet""")]
    private static partial Regex StylesheetLink();

    [GeneratedRegex("""<script[^>]*src="(?<src>[^"]+)""")]
    private static partial Regex ScriptTag();

    /// <summary>Readiness follows the store within a few probes (the SDK retries; the check times out at 5 s).</summary>
    private static async Task AssertReadyzAsync(HttpClient http, HttpStatusCode status, string body)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync("/readyz");
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == status)
            {
                Assert.Equal(body, text);
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"/readyz still answers {response.StatusCode}: {text}");
            await Task.Delay(250);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, PublishedPortal portal)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out\n" + portal.Log);
            await Task.Delay(50);
        }
    }

    /// <summary>moto_server again on the port the portal is configured with (the fixture picks a new port).</summary>
    private static async Task<MotoProcess> MotoOnPortAsync(int port)
    {
        var exe = MotoServerFixture.FindExecutable() ?? throw new InvalidOperationException("moto_server not found");
        var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(exe, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var moto = new MotoProcess(process);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/moto-api/");
                return moto;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private sealed class MotoProcess(System.Diagnostics.Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            process.Dispose();
        }
    }
}
