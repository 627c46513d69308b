using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.Persistence;
using Dataraven.Portal.Security;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Requests;

/// <summary>
/// The recipient's page <c>/requests/{token}</c> as a browser gets it: its status for every state of the link, a load
/// counted as a view, the plain form post, and nothing of the team on it beyond what DESIGN.md lists.
/// </summary>
public sealed class RecipientPageTests(LocalApiPortal fixture) : ApiTestBase(fixture), IClassFixture<LocalApiPortal>
{
    private const string Canary = "CANARYr3c1p";
    // The team's name as a word (not inside a random antiforgery token).
    private const string TeamName = "(?<![A-Za-z0-9+/_=-])Acme(?![A-Za-z0-9+/_=-])";
    private const string Note = "Please paste the key of the nightly export bucket";
    private static readonly Dictionary<string, string> S3Credentials = new()
    {
        ["credentials.access_key_id"] = "AKIAIOSFODNN7" + "EXA",
        ["credentials.secret_access_key"] = "wJalrXUtnFEMI/K7MDENG/bPxRfi" + Canary + "YE",
    };

    private async Task<(JsonNode Created, string Token)> RequestAsync(Dictionary<string, object?>? extra = null, string? name = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name ?? $"Export {Guid.NewGuid():N}", ["description"] = "Description " + Canary, ["secret_type"] = "s3",
            ["auth_method"] = "s3_access_key", ["note"] = Note,
        };
        foreach (var (k, v) in extra ?? [])
        {
            body[k] = v;
        }
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/credential-requests"), body)).AssertStatusAsync(HttpStatusCode.Created);
        var url = created["url"]!.GetValue<string>();
        return (created, url[(url.IndexOf("/requests/", StringComparison.Ordinal) + "/requests/".Length)..]);
    }

    private async Task<int> ViewsAsync(JsonNode created) =>
        (await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK))["views"]!.GetValue<int>();

    private async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> action)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    private Task<HttpResponseMessage> LoadAsync(string token) => Portal.CreateClient().GetAsync($"/requests/{token}");

    [Fact]
    public async Task AnOpenLink_Is200_CountsTheViewBeforeItIsShown_AndShowsOnlyTheAllowedFields()
    {
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), new Dictionary<string, object?>
        {
            ["name"] = "Other secret " + Canary, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIAIOSFODNN7EXA", ["secret_access_key"] = "x" + Canary },
        })).AssertStatusAsync(HttpStatusCode.Created);
        var (created, token) = await RequestAsync(name: "Requested " + Canary);
        Assert.Equal(0, await ViewsAsync(created));

        var response = await LoadAsync(token);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await ViewsAsync(created));
        Assert.Matches("data-testid=\"request-team\"[^>]*>Acme<", html);
        Assert.Matches($"data-testid=\"request-asker\"[^>]*>{System.Text.RegularExpressions.Regex.Escape(Acme.OwnerEmail)}<", html);
        Assert.Contains(Note, html);
        Assert.Contains("name=\"credentials.access_key_id\"", html);
        Assert.Contains("name=\"credentials.secret_access_key\" type=\"password\"", html);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "name=\"credentials\\.").Count);
        // No secret's name or description (the requested one's included), no ids, no navigation of the team.
        Assert.DoesNotContain(Canary, html);
        Assert.DoesNotContain(Acme.TeamId.ToString(), html);
        Assert.DoesNotContain(created["id"]!.GetValue<string>(), html);
        Assert.DoesNotContain("dr-nav", html);
        Assert.DoesNotContain("href=\"/secrets\"", html);
        Assert.DoesNotContain("Globex", html);
        Assert.Equal(SecurityHeaders.PagePolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(1, await WithDbAsync(db => db.AuditEvents.CountAsync(e => e.TeamId == Acme.TeamId && e.Action == "credential_request.viewed")));
    }

    [Fact]
    public async Task AnUnknownToken_Is404_WithAPageSayingSo()
    {
        var response = await LoadAsync("no-such-token-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"request-unknown\"", await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string> ClosedStates() => ["expired", "fulfilled", "revoked", "exhausted"];

    [Theory]
    [MemberData(nameof(ClosedStates))]
    public async Task AClosedLink_Is410_WithAPageSayingWhy(string state)
    {
        var (created, token) = await RequestAsync(state == "exhausted" ? new() { ["max_views"] = 1 } : null);
        var id = created["id"]!.GetValue<Guid>();
        switch (state)
        {
            case "expired":
                await WithDbAsync(db => db.CredentialRequests.Where(r => r.Id == id)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
                break;
            case "fulfilled":
                await (await Portal.CreateClient().PostJsonAsync($"/v1/credential-requests/{token}", new
                {
                    credentials = S3Credentials.ToDictionary(c => c.Key["credentials.".Length..], c => c.Value),
                })).AssertStatusAsync(HttpStatusCode.Created);
                break;
            case "revoked":
                Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/credential-requests/{id}"))).StatusCode);
                break;
            case "exhausted":
                Assert.Equal(HttpStatusCode.OK, (await LoadAsync(token)).StatusCode);
                break;
        }

        var response = await LoadAsync(token);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains($"data-status=\"{state}\"", html);
        Assert.DoesNotContain("name=\"credentials.", html);
        Assert.DoesNotMatch(TeamName, html);
        var status = await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{id}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(state, status["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheFormPost_StoresTheSecret_SaysThankYou_AndTheLinkIsDead()
    {
        var (created, token) = await RequestAsync(name: "Posted");
        var form = await PageForm.LoadAsync(Portal, $"/requests/{token}");

        var response = await form.SubmitAsync("fulfil", S3Credentials);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"request-received\"", html);
        Assert.DoesNotContain(Canary, html);
        var secrets = await (await Owner().GetAsync(Url(Acme, "/secrets"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(secrets.AsArray(), s => s!["name"]!.GetValue<string>() == "Posted");
        Assert.Equal(1, await ViewsAsync(created));
        Assert.Equal(HttpStatusCode.Gone, (await LoadAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await form.SubmitAsync("fulfil", S3Credentials)).StatusCode);
    }

    [Fact]
    public async Task AnInvalidSubmit_Is400WithTheFieldsError_CountsNoView_AndNeverEchoesTheSecret()
    {
        var (created, token) = await RequestAsync(new() { ["max_views"] = 1 });
        var form = await PageForm.LoadAsync(Portal, $"/requests/{token}");

        var response = await form.SubmitAsync("fulfil", new Dictionary<string, string>
        {
            ["credentials.access_key_id"] = "",
            ["credentials.secret_access_key"] = S3Credentials["credentials.secret_access_key"],
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"error-credentials.access_key_id\"", html);
        Assert.Contains("name=\"credentials.access_key_id\"", html);
        Assert.DoesNotContain(Canary, html);
        // The one allowed view is not used up by the mistake: the corrected submit still works.
        Assert.Equal(1, await ViewsAsync(created));
        var corrected = await form.SubmitAsync("fulfil", S3Credentials);
        Assert.Contains("data-testid=\"request-received\"", await corrected.Content.ReadAsStringAsync());
        Assert.Equal(0, await WithDbAsync(db => db.Secrets.CountAsync(s => s.TeamId == Acme.TeamId && s.Name.Contains(Canary))));
    }

    [Fact]
    public async Task AMembersOnlyLink_SendsASignedOutVisitorToSignIn_AndRefusesANonMember_WithoutCountingViews()
    {
        var (created, token) = await RequestAsync(new() { ["require_sign_in"] = true });

        var anonymous = await LoadAsync(token);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal($"/account/login?ReturnUrl=/requests/{token}", anonymous.Headers.Location!.OriginalString);

        var outsider = await SignedInClient.CreateAsync(Portal, Globex.OwnerEmail);
        var refused = await outsider.GetAsync($"/requests/{token}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"request-refused\"", refusal);
        Assert.DoesNotMatch(TeamName, refusal);
        Assert.Equal(0, await ViewsAsync(created));

        var member = await SignedInClient.CreateAsync(Portal, Acme.OwnerEmail);
        var opened = await member.GetAsync($"/requests/{token}");
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("name=\"credentials.secret_access_key\"", await opened.Content.ReadAsStringAsync());
        Assert.Equal(1, await ViewsAsync(created));
    }

    [Fact]
    public async Task TheSignInPageAddress_KeepsTheTokenRedactableInLogs()
    {
        var (_, token) = await RequestAsync(new() { ["require_sign_in"] = true });
        var location = (await LoadAsync(token)).Headers.Location!.OriginalString;
        Assert.DoesNotContain(token, TokenPaths.Redact(location));
    }
}
