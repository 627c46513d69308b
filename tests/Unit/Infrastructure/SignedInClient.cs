using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;

namespace Dataraven.Tests.Infrastructure;

/// <summary>An HTTP client that signs in through the real login form and keeps the cookies, for prerendered pages.</summary>
public static partial class SignedInClient
{
    public static async Task<HttpClient> CreateAsync(TestPortal portal, string email, string password = TestPortal.Password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new CookieHandler(cookies) { InnerHandler = portal.App.GetTestServer().CreateHandler() })
        {
            BaseAddress = new Uri("http://localhost/"),
        };
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || cookies.GetCookies(client.BaseAddress).All(c => c.Name != "dataraven.auth"))
        {
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        }
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
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
}
