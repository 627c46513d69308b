using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Browsing a 1Password account by name: <c>""</c> lists vaults (<c>op vault list</c>, or only the scoped vault), <c>"&lt;vault&gt;"</c>
/// its items (<c>op item list --vault</c>), <c>"&lt;vault&gt;/&lt;item&gt;"</c> the item's fields (<c>op item get --vault</c>, whose
/// answer carries the values: the DTOs below have no property for them, so they are skipped by the parser and never kept).
/// </summary>
public sealed partial class OnePasswordCliClient
{
    /// <summary>What 1Password's hourly read limit counts for an <c>op item get</c> (the item, its vault and its fields).</summary>
    public const int ItemGetReads = 3;

    public static IReadOnlyList<string> VaultListArguments => VerifyArguments;

    public static IReadOnlyList<string> ItemListArguments(string vault) => ["item", "list", "--vault", vault, "--format", "json"];

    public static IReadOnlyList<string> ItemGetArguments(string vault, string item) => ["item", "get", item, "--vault", vault, "--format", "json"];

    public BrowsePlan PlanBrowse(VaultConnectionSettings settings, string path)
    {
        var segments = path.Length == 0 ? [] : path.Split('/');
        if (segments.Length > 2 || segments.Any(s => s.Trim().Length == 0))
        {
            return BrowsePlan.Refused("Path must be empty (the vaults), <vault> (its items) or <vault>/<item> (its fields).");
        }
        if (settings.Vault is { } scope && segments.Length > 0 && !string.Equals(segments[0], scope, StringComparison.OrdinalIgnoreCase))
        {
            return BrowsePlan.Refused($"This connection may only read vault '{scope}'.");
        }
        return new BrowsePlan(null, segments.Length switch
        {
            0 => settings.Vault is null ? 1 : 0,
            1 => 1,
            _ => ItemGetReads,
        });
    }

    public async Task<BrowseResult> BrowseAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials, string path,
        CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(AccessTokenField, out var token) || string.IsNullOrWhiteSpace(token))
        {
            return BrowseResult.Failed(ProviderOutcome.Rejected, "The 1Password connection has no access token stored: rotate its credentials.");
        }
        string?[] secrets = [.. credentials.Values];
        var segments = path.Length == 0 ? [] : path.Split('/');
        if (segments.Length == 0 && settings.Vault is { } scope)
        {
            // Scoped: the one vault, without asking op (it was verified when the scope was set).
            return BrowseResult.Ok([new BrowseEntry(scope, BrowseKinds.Vault, scope, null)]);
        }

        var arguments = segments.Length switch
        {
            0 => VaultListArguments,
            1 => ItemListArguments(segments[0]),
            _ => ItemGetArguments(segments[0], segments[1]),
        };
        var run = await _runner.RunAsync(token, arguments, secrets, ct).ConfigureAwait(false);
        var result = run.Failure is not null ? BrowseResult.Failed(ProviderOutcome.Unreachable, run.Failure)
            : run.ExitCode != 0 ? BrowseResult.Failed(ClassifyBrowseFailure(run.ExitCode, run.Stderr, segments, secrets))
            : ParseBrowse(run.Stdout, segments);
        _logger.Log(result.Check.Ok ? LogLevel.Information : LogLevel.Warning,
            "1Password browse of {Depth}: {Outcome}: {Message}", segments.Length switch { 0 => "vaults", 1 => "items", _ => "fields" },
            result.Check.Outcome, result.Check.Message ?? $"{result.Entries.Count} entries");
        return result;
    }

    /// <summary>A failed browse run: a vault or item the token cannot see is a refusal; otherwise as <see cref="Classify"/>.</summary>
    public static ProviderCheck ClassifyBrowseFailure(int exitCode, string? stderr, IReadOnlyList<string> segments, IEnumerable<string?> secrets)
    {
        var lower = ErrorPrefix().Replace(stderr ?? "", "").ToLowerInvariant();
        if (segments.Count == 2 && lower.Contains("isn't an item"))
        {
            return new ProviderCheck(ProviderOutcome.Rejected,
                $"1Password has no item '{ProviderMessages.Sanitize(segments[1], secrets)}' in vault '{ProviderMessages.Sanitize(segments[0], secrets)}' (op exit {exitCode}).");
        }
        return segments.Count > 0
            ? ClassifyVaultFailure(exitCode, stderr, segments[0], secrets)
            : Classify(exitCode, stderr, secrets);
    }

    /// <summary>op's JSON, as names: values are not in the DTOs, so the parser skips them.</summary>
    public static BrowseResult ParseBrowse(string stdout, IReadOnlyList<string> segments)
    {
        try
        {
            switch (segments.Count)
            {
                case 0:
                {
                    var vaults = JsonSerializer.Deserialize<List<OpVault>>(stdout) ?? [];
                    return BrowseResult.Ok(vaults.Where(v => !string.IsNullOrEmpty(v.Name))
                        .OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
                        .Select(v => new BrowseEntry(v.Name!, BrowseKinds.Vault, v.Name!, null)).ToList());
                }
                case 1:
                {
                    var vault = segments[0];
                    var items = JsonSerializer.Deserialize<List<OpItemSummary>>(stdout) ?? [];
                    return BrowseResult.Ok(items.Where(i => !string.IsNullOrEmpty(i.Title))
                        .OrderBy(i => i.Title, StringComparer.OrdinalIgnoreCase)
                        .Select(i => new BrowseEntry(i.Title!, BrowseKinds.Item, $"{vault}/{i.Title}", null)).ToList());
                }
                default:
                {
                    var (vault, itemName) = (segments[0], segments[1]);
                    var item = JsonSerializer.Deserialize<OpItem>(stdout);
                    var title = string.IsNullOrEmpty(item?.Title) ? itemName : item.Title;
                    return BrowseResult.Ok((item?.Fields ?? []).Where(f => !string.IsNullOrWhiteSpace(f.Label))
                        .Select(f =>
                        {
                            var section = string.IsNullOrWhiteSpace(f.Section?.Label) ? "" : f.Section.Label + "/";
                            return new BrowseEntry(f.Label!, BrowseKinds.Field, $"{vault}/{title}/{section}{f.Label}",
                                $"op://{vault}/{title}/{section}{f.Label}");
                        }).ToList());
                }
            }
        }
        catch (JsonException)
        {
            // Not echoed: the output of op item get can hold values.
            return BrowseResult.Failed(ProviderOutcome.Unreachable, "The 1Password CLI answered with unexpected output (expected JSON).");
        }
    }

    private sealed record OpVault([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("name")] string? Name);

    private sealed record OpItemSummary([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("title")] string? Title);

    private sealed record OpItem(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("title")] string? Title,
        [property: JsonPropertyName("fields")] List<OpField>? Fields);

    /// <summary>A field's name and place; deliberately without <c>value</c>.</summary>
    private sealed record OpField(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("label")] string? Label,
        [property: JsonPropertyName("type")] string? Type,
        [property: JsonPropertyName("section")] OpSection? Section);

    private sealed record OpSection([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("label")] string? Label);
}
