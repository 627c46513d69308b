using System.Net;
using Microsoft.AspNetCore.TestHost;

namespace Dataraven.Tests.Infrastructure;

/// <summary>An HTTP client that signs in through the real login form and keeps the cookies, for prerendered pages.</summary>
public static class SignedInClient
{
    public const string AuthCookie = "dataraven.auth";

    public static async Task<HttpClient> CreateAsync(TestPortal portal, string email, string password = TestPortal.Password)
    {
        var client = CreateFormClient(portal);
        var response = await SignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || !HasAuthCookie(client))
        {
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        }
        return client;
    }

    /// <summary>A cookie-keeping client, as a browser at <paramref name="from"/> (the rate limiter partitions by client address).</summary>
    public static FormClient CreateFormClient(TestPortal portal, IPAddress? from = null)
    {
        var server = portal.App.GetTestServer();
        var inner = from is null ? server.CreateHandler() : server.CreateHandler(c => c.Connection.RemoteIpAddress = from);
        var cookies = new CookieContainer();
        return new FormClient(cookies, new CookieHandler(cookies) { InnerHandler = inner }) { BaseAddress = new Uri("http://localhost/") };
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string? token = null) =>
        await PostFormAsync(client, "/account/login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = password }, token);

    /// <summary>An antiforgery token (and its cookie) from the sign-in page; any form's token serves all forms.</summary>
    public static async Task<string> GetTokenAsync(HttpClient client) =>
        PageForm.AntiforgeryToken().Match(await client.GetStringAsync("/account/login")).Groups[1].Value;

    /// <summary>Posts the fields as a browser does, with <paramref name="token"/> or a token fetched first.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formName, Dictionary<string, string> fields,
        string? token = null)
    {
        fields["_handler"] = formName;
        fields["__RequestVerificationToken"] = token ?? await GetTokenAsync(client);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    public static bool HasAuthCookie(FormClient client) => client.Cookies.GetCookies(client.BaseAddress!).Any(c => c.Name == AuthCookie);

    public sealed class FormClient(CookieContainer cookies, HttpMessageHandler handler) : HttpClient(handler)
    {
        public CookieContainer Cookies => cookies;
    }

}
