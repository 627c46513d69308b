using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dataraven.Portal.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Dataraven.Tests.Api;

/// <summary>
/// Malformed paths, methods and bodies against every /v1 route: each error is problem+json with a code from the
/// error table, at that code's status, and none is a 500. A malformed id matches no route and is 404 not_found.
/// </summary>
public sealed partial class MalformedRequestTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private const int Requests = 1000;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    // No %00: the server itself refuses a path with a null character (Kestrel with a bodiless 400, before any middleware).
    private static readonly string[] MalformedIds =
    [
        "badid", "not-a-uuid", "0", "-1", "00000000-0000-0000-0000-00000000000", "00000000-0000-0000-0000-0000000000000",
        "%20", "a%2Fb", "..", "%2E%2E", "%ZZ", "b%C3%A9", "%FF", "a;b", "null", "undefined", "true", "{}", "%7B%7D",
        new string('a', 2000), "11111111-1111-1111-1111-11111111111g",
    ];

    private readonly TestPortal _portal = fixture.Portal;

    [Fact]
    public async Task MalformedPathsMethodsAndBodies_AnswerProblemJson_WithACodeOfTheTable()
    {
        // Over Kestrel, as clients reach the portal: the in-memory server would let through what Kestrel refuses.
        await using var portal = await TestPortal.StartAsync(new TestPortalOptions { Kestrel = true });
        var acme = await portal.CreateTeamAsync("Fuzz " + Guid.NewGuid().ToString("N")[..8]);
        var templates = ((IEndpointRouteBuilder)portal.App).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!).Where(p => p.StartsWith("/v1", StringComparison.Ordinal)).Distinct().Order().ToList();
        Assert.Contains(templates, t => t.Contains("{id", StringComparison.Ordinal));
        var random = new Random(26);
        var failures = new List<string>();
        var malformedIdAnswers = 0;
        for (var i = 0; i < Requests; i++)
        {
            var template = templates[random.Next(templates.Count)];
            var malformed = false;
            var path = Parameter().Replace(template, m =>
            {
                // At least one malformed id in most requests; the others are the key's team, another team, or an unknown id.
                var choice = random.Next(5);
                if (choice < 3)
                {
                    malformed = true;
                    return MalformedIds[random.Next(MalformedIds.Length)];
                }
                return m.Value.StartsWith("{team_id", StringComparison.Ordinal) && choice == 3 ? acme.TeamId.ToString() : Guid.NewGuid().ToString();
            });
            var method = Methods[random.Next(Methods.Length)];
            var request = new HttpRequestMessage(new HttpMethod(method), path.TrimEnd('/') + (random.Next(4) == 0 ? "/" : ""));
            request.Content = random.Next(6) switch
            {
                0 => new StringContent("{}", Encoding.UTF8, "application/json"),
                1 => new StringContent("not json", Encoding.UTF8, "application/json"),
                2 => new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain"),
                3 => new StringContent("{\"name\":\"" + new string('x', ApiJson.MaxBodyBytes) + "\"}", Encoding.UTF8, "application/json"),
                _ => null,
            };
            using var client = random.Next(8) == 0 ? portal.CreateClient() : portal.CreateClient(acme.OwnerKey);
            var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var where = $"{method} {request.RequestUri} ({request.Content?.Headers.ContentType?.MediaType ?? "no body"}): {status}";
            if (status >= 500)
            {
                failures.Add($"{where} is a server error: {text}");
                continue;
            }
            if (status < 400)
            {
                continue;
            }
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{where} is {response.Content.Headers.ContentType?.ToString() ?? "bodiless"}: '{text}'");
                continue;
            }
            var code = (string?)JsonNode.Parse(text)?["code"];
            var error = code is null ? null : ApiErrors.Find(code);
            if (error is null || error.Status != status)
            {
                failures.Add($"{where} has code '{code}', which the table {(error is null ? "lacks" : $"gives status {error.Status}")}");
            }
            if (malformed && response.StatusCode == HttpStatusCode.NotFound)
            {
                malformedIdAnswers++;
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests} requests:\n" + string.Join("\n", failures.Distinct().Take(40)));
        Assert.True(malformedIdAnswers > Requests / 8, $"only {malformedIdAnswers} malformed ids reached a 404");
    }

    [Theory]
    [InlineData("POST", "/v1/teams/badid/secrets")]
    [InlineData("POST", "/v1/teams/badid/vault-connections")]
    [InlineData("GET", "/v1/teams/badid/usage")]
    [InlineData("PUT", "/v1/teams/badid/tier")]
    [InlineData("GET", "/v1/teams/{team}/secrets/badid")]
    [InlineData("POST", "/v1/teams/{team}/secrets/badid/check")]
    [InlineData("PATCH", "/v1/teams/{team}/vault-connections/badid")]
    [InlineData("DELETE", "/v1/teams/{team}/api-keys/badid")]
    [InlineData("DELETE", "/v1/teams/{team}/invitations/badid")]
    public async Task MalformedId_WithAJsonBody_Is404NotFound(string method, string path)
    {
        var acme = await _portal.CreateTeamAsync("Malformed " + Guid.NewGuid().ToString("N")[..8]);
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{team}", acme.TeamId.ToString()))
        {
            Content = new StringContent("""{"name":"x","role":"viewer","tier":"pro"}""", Encoding.UTF8, "application/json"),
        };
        await (await _portal.CreateClient(acme.OwnerKey).SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
