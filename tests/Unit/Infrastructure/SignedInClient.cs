using System.Net;

namespace Dataraven.Tests.Infrastructure;

/// <summary>An HTTP client that signs in through the real login form and keeps the cookies, for prerendered pages.</summary>
public static class SignedInClient
{
    public static async Task<HttpClient> CreateAsync(TestPortal portal, string email, string password = TestPortal.Password)
    {
        var form = await PageForm.LoadAsync(portal, "/account/login");
        var response = await form.SubmitAsync("login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect || form.Cookies.GetCookies(form.Client.BaseAddress!).All(c => c.Name != "dataraven.auth"))
        {
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        }
        return form.Client;
    }
}
