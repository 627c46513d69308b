using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;

namespace Dataraven.Tests.Infrastructure;

/// <summary>
/// A server-rendered form as a browser submits it: its page is loaded first (antiforgery cookie and token),
/// then <see cref="SubmitAsync"/> posts the fields to the same address. Redirects are not followed.
/// </summary>
public sealed partial class PageForm
{
    private readonly HttpClient _client;
    private readonly string _path;
    private readonly string _token;

    private PageForm(HttpClient client, CookieContainer cookies, string path, string token)
    {
        _client = client;
        Cookies = cookies;
        _path = path;
        _token = token;
    }

    /// <summary>The cookies this form's browser holds (antiforgery, and the sign-in cookie after a sign-in).</summary>
    public CookieContainer Cookies { get; }

    /// <summary>The browser's client, with its cookies, for the pages after the form.</summary>
    public HttpClient Client => _client;

    public static Task<PageForm> LoadAsync(TestPortal portal, string path) => portal.BaseAddress is null
        ? LoadAsync(portal.App.GetTestServer().CreateHandler(), new Uri("http://localhost/"), path)
        : LoadAsync(portal.BaseAddress, path);

    /// <summary>The form of a portal listening at <paramref name="baseAddress"/> (a real server, such as another process).</summary>
    public static Task<PageForm> LoadAsync(Uri baseAddress, string path) =>
        LoadAsync(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }, baseAddress, path);

    private static async Task<PageForm> LoadAsync(HttpMessageHandler server, Uri baseAddress, string path)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new CookieHandler(cookies) { InnerHandler = server }) { BaseAddress = baseAddress };
        var page = await client.GetStringAsync(path);
        var token = AntiforgeryToken().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"{path} has no form with an antiforgery token.");
        }
        return new PageForm(client, cookies, path, token.Groups[1].Value);
    }

    /// <summary>Posts <paramref name="fields"/> as the form named <paramref name="formName"/> (the Blazor <c>FormName</c>).</summary>
    public Task<HttpResponseMessage> SubmitAsync(string formName, IReadOnlyDictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = _token,
        };
        return _client.PostAsync(_path, new FormUrlEncodedContent(values));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    internal static partial Regex AntiforgeryToken();
}

/// <summary>Keeps cookies across requests to the in-memory test server, as a browser does.</summary>
internal sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var header = cookies.GetCookieHeader(request.RequestUri!);
        if (header.Length > 0)
        {
            request.Headers.Add("Cookie", header);
        }
        var response = await base.SendAsync(request, ct);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var cookie in set)
            {
                cookies.SetCookies(request.RequestUri!, cookie);
            }
        }
        return response;
    }
}
