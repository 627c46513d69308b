using System.Text.Json.Nodes;

namespace Dataraven.Tests.Infrastructure;

/// <summary>
/// How one response ended: its status plus what tells same-status answers apart, the problem <c>code</c>
/// of a problem+json body or the target of a redirect ("409 name_conflict", "302 /error", "204").
/// </summary>
public readonly record struct Outcome(int Status, string? Detail)
{
    public override string ToString() => Detail is null ? Status.ToString() : $"{Status} {Detail}";

    public static Outcome Of(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400 && response.Headers.Location is { } location)
        {
            return new(status, location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
        }
        if (response.Content.Headers.ContentType is { MediaType: "application/problem+json" })
        {
            return new(status, ProblemCode(body));
        }
        return new(status, null);
    }

    private static string? ProblemCode(string body)
    {
        try
        {
            return (string?)JsonNode.Parse(body)?["code"];
        }
        catch (System.Text.Json.JsonException)
        {
            return "(unreadable problem)";
        }
    }
}

/// <summary>Outcomes counted over one or more rounds of a race, with the bodies of the ones that were not expected.</summary>
public sealed class RaceTally(params string[] expected)
{
    private readonly HashSet<string> _expected = [.. expected];
    private readonly SortedDictionary<string, int> _histogram = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _roundsWith = new(StringComparer.Ordinal);
    private readonly List<string> _unexpectedBodies = [];

    public int Rounds { get; private set; }

    public IReadOnlyDictionary<string, int> Histogram => _histogram;

    public IReadOnlyList<string> UnexpectedBodies => _unexpectedBodies;

    public int Count(string outcome) => _histogram.GetValueOrDefault(outcome);

    /// <summary>In how many rounds at least one response had a status of <paramref name="status"/> (e.g. 500).</summary>
    public int RoundsWithStatus(int status) => _roundsWith.GetValueOrDefault(status.ToString());

    public IReadOnlyList<Outcome> AddRound(IReadOnlyList<(Outcome Outcome, string Body)> responses)
    {
        Rounds++;
        foreach (var (outcome, body) in responses)
        {
            var key = outcome.ToString();
            _histogram[key] = _histogram.GetValueOrDefault(key) + 1;
            if (!_expected.Contains(key) && _unexpectedBodies.Count < 5)
            {
                _unexpectedBodies.Add($"{key}: {Truncate(body)}");
            }
        }
        foreach (var status in responses.Select(r => r.Outcome.Status.ToString()).Distinct())
        {
            _roundsWith[status] = _roundsWith.GetValueOrDefault(status) + 1;
        }
        return responses.Select(r => r.Outcome).ToList();
    }

    /// <summary>Fails unless every response was one of the expected outcomes; the message has the histogram and sample bodies.</summary>
    public void AssertOnlyExpected()
    {
        var unexpected = _histogram.Keys.Where(k => !_expected.Contains(k)).ToList();
        Assert.True(unexpected.Count == 0,
            $"{Summary()}; unexpected: {string.Join(", ", unexpected)}; rounds with a 500: {RoundsWithStatus(500)} of {Rounds}\n" +
            string.Join("\n", _unexpectedBodies));
    }

    public string Summary() => $"{Rounds} rounds: " + string.Join(", ", _histogram.Select(kv => $"{kv.Key} x{kv.Value}"));

    private static string Truncate(string body) => body.Length <= 400 ? body : body[..400] + "...";
}

/// <summary>
/// Runs requests at the same moment: every request is prepared first, then all are released together,
/// so they overlap inside the portal. Counts how each ended in a <see cref="RaceTally"/>.
/// </summary>
public static class Concurrency
{
    /// <summary>Sends all <paramref name="requests"/> at once and records them as one round of <paramref name="tally"/>.</summary>
    public static async Task<IReadOnlyList<Outcome>> RaceAsync(this RaceTally tally, params Func<Task<HttpResponseMessage>>[] requests)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = requests.Select(async send =>
        {
            await start.Task;
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            return (Outcome.Of(response, body), body);
        }).ToList();
        start.SetResult();
        return tally.AddRound(await Task.WhenAll(running));
    }

    /// <summary><paramref name="count"/> copies of one request (numbered, for distinct bodies) as one round.</summary>
    public static Task<IReadOnlyList<Outcome>> RaceAsync(this RaceTally tally, int count, Func<int, Task<HttpResponseMessage>> send) =>
        tally.RaceAsync(Enumerable.Range(0, count).Select(i => (Func<Task<HttpResponseMessage>>)(() => send(i))).ToArray());
}
