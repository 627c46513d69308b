using Dataraven.Tests.E2E.Browser;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Dataraven.Tests.E2E;

/// <summary>Every main page and the API reference run under the portal's content security policy without a violation.</summary>
public sealed class SecurityPolicyTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser)
{
    // Runs before any script of each document; the page's own policy does not apply to Playwright's init scripts.
    private const string RecordViolations = """
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    [Fact]
    public Task EveryMainPage_NoContentSecurityPolicyViolationOrConsoleError() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // The not-found page is answered with its 404 status, which Chromium reports as a failed load.
            var expected404 = page.Url.EndsWith("/no-such-page", StringComparison.Ordinal) && message.Text.Contains("status of 404", StringComparison.Ordinal);
            if ((message.Type is "error" && !expected404) || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{page.Url}: console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"{page.Url}: page error: {error}");
        await page.AddInitScriptAsync(RecordViolations);

        var visited = new List<string>();
        foreach (var target in MainPages.All.Where(p => !p.SignedIn))
        {
            await VisitAsync(page, target, problems, visited);
        }
        await SignInAsync(page, team.OwnerEmail);
        foreach (var target in MainPages.All.Where(p => p.SignedIn))
        {
            await VisitAsync(page, target, problems, visited);
        }
        await page.GotoAsync("/api-docs");
        await page.GetByText("DataRaven Portal API").First.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        problems.AddRange((await page.EvaluateAsync<string[]>("() => window.__violations")).Select(v => $"/api-docs: {v}"));
        visited.Add("/api-docs");

        output.WriteLine($"visited {visited.Count} pages: {string.Join(", ", visited)}; problems: {problems.Count}");
        problems.ForEach(output.WriteLine);
        Assert.Empty(problems);
    });

    private static async Task VisitAsync(IPage page, MainPages.MainPage target, List<string> problems, List<string> visited)
    {
        await MainPages.OpenAsync(page, target);
        problems.AddRange((await page.EvaluateAsync<string[]>("() => window.__violations")).Select(v => $"{target.Path}: {v}"));
        visited.Add(target.Path);
    }
}
