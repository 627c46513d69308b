using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Playwright;

// The measuring side of bench/run. Each command prints one number on stdout (diagnostics on stderr).
//   paced URL RATE COUNT AUTH BODY     p50 latency in ms of COUNT POSTs sent at RATE/s (BODY: "{n}" is the request number)
//   circuits URL N HEAP_URL [EMAIL PASSWORD]   managed heap bytes per extra open interactive circuit of URL
//   start URL -- COMMAND ARGS...        ms from process start to the first 200 on URL (redirects followed)
return args[0] switch
{
    "paced" => await Paced(args[1], double.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3]), args[4], args[5]),
    "circuits" => await Circuits(args[1], int.Parse(args[2]), args[3], args.Length > 5 ? (args[4], args[5]) : null),
    "start" => await Start(args[1], args[3..]),
    _ => throw new ArgumentException($"unknown command {args[0]}"),
};

static async Task<int> Paced(string url, double rate, int count, string auth, string bodyTemplate)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
    if (auth != "-")
    {
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth);
    }
    var latencies = new double[count];
    var failures = 0;
    var clock = Stopwatch.StartNew();
    var tasks = new List<Task>();
    for (var i = 0; i < count; i++)
    {
        // Open-loop pacing: request i leaves at i/rate whatever the earlier ones do.
        var due = TimeSpan.FromSeconds(i / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }
        var n = i;
        tasks.Add(Task.Run(async () =>
        {
            var body = new StringContent(bodyTemplate.Replace("{n}", $"{Guid.NewGuid():N}-{n}"), Encoding.UTF8, "application/json");
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(url, body);
            latencies[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Interlocked.Increment(ref failures);
                await Console.Error.WriteLineAsync($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }));
    }
    await Task.WhenAll(tasks);
    Array.Sort(latencies);
    await Console.Error.WriteLineAsync(FormattableString.Invariant(
        $"paced {url}: n={count} p50={latencies[count / 2]:F2} p90={latencies[count * 9 / 10]:F2} failures={failures}"));
    Console.WriteLine(latencies[count / 2].ToString("F3", CultureInfo.InvariantCulture));
    return failures == 0 ? 0 : 1;
}

static async Task<int> Circuits(string url, int n, string heapUrl, (string Email, string Password)? login)
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
    });
    var context = await browser.NewContextAsync();
    if (login is { } l)
    {
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync(new Uri(new Uri(url), "/account/login").ToString());
        await signIn.FillAsync("#email", l.Email);
        await signIn.FillAsync("#password", l.Password);
        await signIn.Locator("#sign-in").ClickAsync();
        await signIn.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
    }
    // The first circuit warms the app (JIT, caches) and stays open, so the difference counts circuits only.
    await OpenAsync(context, url);
    using var http = new HttpClient();
    var before = long.Parse(await http.GetStringAsync(heapUrl));
    for (var i = 0; i < n; i++)
    {
        await OpenAsync(context, url);
    }
    await Task.Delay(1000);
    var after = long.Parse(await http.GetStringAsync(heapUrl));
    var perCircuit = (after - before) / n;
    await Console.Error.WriteLineAsync($"circuits {url}: heap {before} -> {after} with {n} more circuits: {perCircuit} bytes each");
    Console.WriteLine(perCircuit);
    return 0;
}

static async Task OpenAsync(IBrowserContext context, string url)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync(url);
    try
    {
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
    }
    catch (TimeoutException)
    {
        var shot = Path.Combine(Path.GetTempPath(), $"bench-circuit-{Guid.NewGuid():N}.png");
        await page.ScreenshotAsync(new() { Path = shot });
        throw new TimeoutException($"{page.Url} did not become interactive (screenshot {shot})");
    }
}

static async Task<int> Start(string url, string[] command)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in command[1..])
    {
        info.ArgumentList.Add(arg);
    }
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Console.WriteLine(clock.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
                    return 0;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the timeout.
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"{url} did not answer 200 within 60 s");
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}
