using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dataraven.Core.Persistence;
using Npgsql;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// Two portal processes on one PostgreSQL database. Each keeps its list responses cached and trusts them while the
/// notification channel is open; a write through one instance reaches the other's lists within a second through
/// the trigger's NOTIFY, and when the channel drops the other reads the version per request until it is back.
/// </summary>
public sealed class TwoInstanceListTests() : TwoPortalsOnPostgres("lists")
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_write_on_one_instance_is_in_the_other_s_lists_within_a_second()
    {
        var (teamId, ownerKey) = await BootstrapAsync("Lists");
        var lists = new Lists(Instances[0].Client(ownerKey), Instances[1].Client(ownerKey), $"/v1/teams/{teamId}/secrets");
        await WaitForListenersAsync(2);

        Assert.Empty(await lists.NamesOnBAsync());
        var id = await lists.CreateOnAAsync("backups");
        await lists.SeenOnBWithinAsync(["backups"], Within);

        var renamed = await lists.A.PatchAsync($"{lists.Path}/{id}", JsonContent.Create(new { name = "nightly" }));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        await lists.SeenOnBWithinAsync(["nightly"], Within);

        Assert.Equal(HttpStatusCode.NoContent, (await lists.A.DeleteAsync($"{lists.Path}/{id}")).StatusCode);
        await lists.SeenOnBWithinAsync([], Within);
    }

    [Fact]
    public async Task While_the_channel_is_open_lists_are_served_from_the_cache_and_the_notification_is_what_refreshes_them()
    {
        var (teamId, ownerKey) = await BootstrapAsync("Quiet");
        var lists = new Lists(Instances[0].Client(ownerKey), Instances[1].Client(ownerKey), $"/v1/teams/{teamId}/secrets");
        await WaitForListenersAsync(2);
        Assert.Empty(await lists.NamesOnBAsync());

        // A change that the trigger does not announce: B keeps serving what it had (no version query per request).
        await ExecuteAsync("ALTER TABLE teams DISABLE TRIGGER teams_data_version_notify");
        try
        {
            await lists.CreateOnAAsync("unannounced");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Empty(await lists.NamesOnBAsync());
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE teams ENABLE TRIGGER teams_data_version_notify");
        }

        await lists.CreateOnAAsync("announced");
        await lists.SeenOnBWithinAsync(["announced", "unannounced"], Within);
    }

    [Fact]
    public async Task When_the_channel_drops_lists_read_the_database_and_the_listener_comes_back()
    {
        var (teamId, ownerKey) = await BootstrapAsync("Drops");
        var lists = new Lists(Instances[0].Client(ownerKey), Instances[1].Client(ownerKey), $"/v1/teams/{teamId}/secrets");
        await WaitForListenersAsync(2);
        Assert.Empty(await lists.NamesOnBAsync());

        await ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{PostgresTeamDataListener.ApplicationName}' AND datname = current_database()");
        await lists.CreateOnAAsync("during-the-drop");
        await lists.SeenOnBWithinAsync(["during-the-drop"], Within);

        await WaitForListenersAsync(2);
        await lists.CreateOnAAsync("after-the-drop");
        await lists.SeenOnBWithinAsync(["after-the-drop", "during-the-drop"], Within);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Environment["ConnectionStrings__Portal"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitForListenersAsync(int count)
    {
        await using var connection = new NpgsqlConnection(Environment["ConnectionStrings__Portal"]);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database() AND state = 'idle'", connection);
            command.Parameters.AddWithValue("name", PostgresTeamDataListener.ApplicationName);
            if ((long)(await command.ExecuteScalarAsync())! >= count)
            {
                return;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{count} listeners did not connect within 30 s");
            await Task.Delay(50);
        }
    }

    private sealed record Lists(HttpClient A, HttpClient B, string Path)
    {
        public async Task<List<string>> NamesOnBAsync()
        {
            var response = await B.GetAsync(Path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(s => (string)s!["name"]!).Order().ToList();
        }

        public async Task<string> CreateOnAAsync(string name)
        {
            var created = await A.PostAsJsonAsync(Path, new
            {
                name, secret_type = "s3", auth_method = "s3_access_key",
                credentials = new { access_key_id = "AKIAIOSFODNN7EXAMPLE", secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            return (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        }

        /// <summary>Polls B until it lists <paramref name="names"/>; fails if that takes longer than <paramref name="within"/>.</summary>
        public async Task SeenOnBWithinAsync(string[] names, TimeSpan within)
        {
            var clock = Stopwatch.StartNew();
            List<string> seen;
            do
            {
                seen = await NamesOnBAsync();
                if (seen.SequenceEqual(names))
                {
                    return;
                }
                await Task.Delay(20);
            }
            while (clock.Elapsed < within);
            Assert.Fail($"after {clock.ElapsedMilliseconds} ms B still lists [{string.Join(", ", seen)}], not [{string.Join(", ", names)}]");
        }
    }
}
