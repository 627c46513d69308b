using System.Net;
using System.Text;

/// <summary>
/// Loaded into the measured app through DOTNET_STARTUP_HOOKS, so neither the portal nor the baseline carries
/// benchmark code: GET http://127.0.0.1:$BENCH_HEAP_PORT/ runs full blocking GCs and answers the live managed heap in bytes.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("BENCH_HEAP_PORT"), out var port))
        {
            return;
        }
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        new Thread(() => Serve(listener)) { IsBackground = true, Name = "heap-probe" }.Start();
    }

    private static void Serve(HttpListener listener)
    {
        while (listener.IsListening)
        {
            var context = listener.GetContext();
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }
            var body = Encoding.ASCII.GetBytes(GC.GetTotalMemory(forceFullCollection: true).ToString());
            context.Response.ContentLength64 = body.Length;
            context.Response.OutputStream.Write(body);
            context.Response.Close();
        }
    }
}
