using System.Text.Json;

namespace Dataraven.Tests.E2E.Browser;

/// <summary>
/// axe-core (npm, installed by test.sh outside the repository like Azurite) run inside a page: the WCAG 2.1 A and AA rules,
/// and the nodes of the serious and critical violations described for a failure message.
/// </summary>
public static class Axe
{
    public const string Version = "4.14.1";

    public static string ScriptPath { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dataraven", "axe-core", "node_modules", "axe-core", "axe.min.js");

    private static readonly Lazy<string> Script = new(() => File.Exists(ScriptPath)
        ? File.ReadAllText(ScriptPath)
        : throw new InvalidOperationException(
            $"axe-core is missing at {ScriptPath}. The accessibility tests need it: run ./test.sh (it installs it) or " +
            $"`npm install --prefix ~/.cache/dataraven/axe-core axe-core@{Version}`."));

    /// <summary>A rule broken on this page: each target is a node's selector and the start of its markup.</summary>
    public sealed record Violation(string Rule, string Impact, string Help, IReadOnlyList<string> Targets);

    /// <summary>The serious and critical WCAG 2.1 A/AA violations of the page as it is now, one entry per rule.</summary>
    public static async Task<IReadOnlyList<Violation>> SeriousViolationsAsync(IPage page)
    {
        // The portal's CSP (script-src 'self') refuses an inline script tag; evaluating through the DevTools protocol is not subject to it.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Script.Value);
        }
        var json = await page.EvaluateAsync<string>("""
            async () => {
                const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
                return JSON.stringify(result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160)) })));
            }
            """);
        return JsonSerializer.Deserialize<List<Violation>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    public static string Describe(string view, Violation v) =>
        $"{view}: {v.Rule} ({v.Impact}, {v.Targets.Count} node(s)): {v.Help}\n" + string.Join("\n", v.Targets.Select(t => "    " + t));
}
