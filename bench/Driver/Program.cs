using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Playwright;

// The measuring side of bench/run. Each command prints one number on stdout (diagnostics on stderr).
//   paced URL RATE COUNT AUTH BODY     p50 latency in ms of COUNT POSTs sent at RATE/s (BODY: "{n}" is the request number)
//   circuits URL N HEAP_URL [EMAIL PASSWORD]   managed heap bytes per extra open interactive circuit of URL
//   start URL -- COMMAND ARGS...        ms from process start to the first 200 on URL (redirects followed)
//   switch URL N EMAIL PASSWORD         median ms of N provider switches in the wizard (card click -> the provider's fields laid out)
//   roundtrip URL N                     median ms of N clicks on the bare page's button (click -> its new text laid out)
return args[0] switch
{
    "switch" => await Switch(args[1], int.Parse(args[2]), args[3], args[4]),
    "roundtrip" => await RoundTrip(args[1], int.Parse(args[2])),
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
    await using var browser = await LaunchAsync(playwright);
    var context = await browser.NewContextAsync();
    if (login is { } l)
    {
        await SignInAsync(context, url, l.Email, l.Password);
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

// Clicks in the page and waits, in the page, until the answer's DOM is there and laid out: the time covers the event's
// trip to the server, the render and the diff applied by blazor.web.js, without Playwright's own round trips.
static string ClickAndWait() => """
    async ([click, done]) => {
        const ready = new Function('return (' + done + ')');
        const t0 = performance.now();
        document.querySelector(click).click();
        await new Promise(resolve => {
            if (ready()) { resolve(); return; }
            const observer = new MutationObserver(() => { if (ready()) { observer.disconnect(); resolve(); } });
            observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        });
        void document.body.offsetHeight; // forces the layout of what arrived
        return performance.now() - t0;
    }
    """;

static async Task<int> Switch(string url, int n, string email, string password)
{
    var (playwright, browser, page) = await OpenInteractiveAsync(url, (email, password));
    try
    {
        (string Wire, string Name)[] providers = [("doppler", "Doppler"), ("infisical", "Infisical"), ("onepassword", "1Password")];
        var times = new List<double>();
        for (var i = 0; i < n + 3; i++)
        {
            var (wire, name) = providers[i % providers.Length];
            if (i > 0)
            {
                // Back to the cards (not timed).
                await page.Locator("#change-provider").ClickAsync();
                await page.Locator($"[data-testid='provider-{wire}']").WaitForAsync();
            }
            var done = $"(document.querySelector('#step-heading')?.textContent ?? '').includes('{name}') && " +
                "document.querySelectorAll('.vc-field-grid input, .vc-field-grid textarea').length > 0";
            var ms = await page.EvaluateAsync<double>(ClickAndWait(), new[] { $"[data-testid='provider-{wire}']", done });
            if (i >= 3)
            {
                times.Add(ms); // the first three (one per provider) warm the JIT and the render paths
            }
        }
        return Report($"switch {url}", times);
    }
    finally
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}

static async Task<int> RoundTrip(string url, int n)
{
    var (playwright, browser, page) = await OpenInteractiveAsync(url, null);
    try
    {
        var times = new List<double>();
        for (var i = 0; i < n + 3; i++)
        {
            var done = $"document.querySelector('main button').textContent.includes('Clicked {i + 1}')";
            var ms = await page.EvaluateAsync<double>(ClickAndWait(), new[] { "main button", done });
            if (i >= 3)
            {
                times.Add(ms);
            }
        }
        return Report($"roundtrip {url}", times);
    }
    finally
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}

static int Report(string what, List<double> times)
{
    times.Sort();
    Console.Error.WriteLine(FormattableString.Invariant(
        $"{what}: n={times.Count} min={times[0]:F1} p50={times[times.Count / 2]:F1} max={times[^1]:F1} ms"));
    Console.WriteLine(times[times.Count / 2].ToString("F2", CultureInfo.InvariantCulture));
    return 0;
}

static async Task<(IPlaywright, IBrowser, IPage)> OpenInteractiveAsync(string url, (string Email, string Password)? login)
{
    var playwright = await Playwright.CreateAsync();
    var browser = await LaunchAsync(playwright);
    var context = await browser.NewContextAsync();
    if (login is { } l)
    {
        await SignInAsync(context, url, l.Email, l.Password);
    }
    await OpenAsync(context, url);
    return (playwright, browser, context.Pages[^1]);
}

static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
});

static async Task SignInAsync(IBrowserContext context, string url, string email, string password)
{
    var signIn = await context.NewPageAsync();
    await signIn.GotoAsync(new Uri(new Uri(url), "/account/login").ToString());
    await signIn.FillAsync("#email", email);
    await signIn.FillAsync("#password", password);
    await signIn.Locator("#sign-in").ClickAsync();
    await signIn.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
    await signIn.CloseAsync();
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
