using System.Net;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

/// <summary>
/// Requests that race each other answer their documented codes (404, 409 name_conflict, 409 in_use), never 500,
/// and leave the data consistent. Each race runs many rounds; the tally counts every outcome.
/// </summary>
public sealed class RaceTestsSqlite(LocalApiPortal portal) : RaceTests(portal), IClassFixture<LocalApiPortal>;

public sealed class RaceTestsPostgres(PostgresApiPortal portal) : RaceTests(portal), IClassFixture<PostgresApiPortal>;

public abstract class RaceTests(ApiPortalFixture portal) : ApiTestBase(portal)
{
    private const int Rounds = 20;

    public static TheoryData<string> Resources => new("secrets", "vault-connections");

    private async Task<string> CreateAsync(string resource, string name)
    {
        var body = resource == "secrets"
            ? DirectSecret(name)
            : ProviderFakes.ValidBody("doppler", name);
        return (string)(await (await Owner().PostJsonAsync(Url(Acme, $"/{resource}"), body)).AssertStatusAsync(HttpStatusCode.Created))["id"]!;
    }

    private async Task DeleteAsync(HttpClient client, string resource, string id) =>
        await (await client.DeleteAsync(Url(Acme, $"/{resource}/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);

    private static Dictionary<string, object?> DirectSecret(string name) => new()
    {
        ["name"] = name,
        ["secret_type"] = "s3",
        ["auth_method"] = "s3_access_key",
        ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
    };

    private static Dictionary<string, object?> VaultSecret(string connectionId, string name) => new()
    {
        ["name"] = name,
        ["secret_type"] = "s3",
        ["auth_method"] = "s3_access_key",
        ["vault_connection_id"] = connectionId,
        ["field_mappings"] = ValidationSamples.ValidMappings(VaultType.Doppler, "s3", "s3_access_key")
            .Select(m => new Dictionary<string, string?> { ["field_name"] = m.FieldName, ["reference"] = m.Reference }).ToList(),
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task RenameTwoToOneName_AtOnce_OneSucceeds_OtherIsNameConflict(string resource)
    {
        var tally = new RaceTally("200", "409 name_conflict");
        var client = Owner();
        for (var round = 0; round < Rounds; round++)
        {
            var first = await CreateAsync(resource, $"first {round}");
            var second = await CreateAsync(resource, $"second {round}");
            var target = $$"""{"name": "Same {{round}}"}""";
            await tally.RaceAsync(
                () => client.PatchRawAsync(Url(Acme, $"/{resource}/{first}"), target),
                () => client.PatchRawAsync(Url(Acme, $"/{resource}/{second}"), target));
            var names = (await (await client.GetAsync(Url(Acme, $"/{resource}"))).ReadJsonAsync()).AsArray()
                .Select(r => (string)r!["name"]!).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            // Within the tier's limit for the next round.
            await DeleteAsync(client, resource, first);
            await DeleteAsync(client, resource, second);
        }
        tally.AssertOnlyExpected();
        Assert.Equal(Rounds, tally.Count("200"));
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task TenDeletesOfOneId_AtOnce_OneNoContent_RestNotFound(string resource)
    {
        var tally = new RaceTally("204", "404 not_found");
        var client = Owner();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await CreateAsync(resource, $"doomed {round}");
            await tally.RaceAsync(10, _ => client.DeleteAsync(Url(Acme, $"/{resource}/{id}")));
        }
        tally.AssertOnlyExpected();
        Assert.Equal(Rounds, tally.Count("204"));
        // Each is in the trash once, its credential kept until the purge.
        var trash = (await (await client.GetAsync(Url(Acme, "/trash"))).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal(Rounds, trash.Count);
        Assert.Equal(Rounds, (await StoredKeysAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task PatchRacingDelete_PatchIsOkOrNotFound_DeleteSucceeds(string resource)
    {
        var patches = new RaceTally("200", "404 not_found");
        var deletes = new RaceTally("204");
        var client = Owner();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await CreateAsync(resource, $"patched {round}");
            await Task.WhenAll(
                patches.RaceAsync(3, i => client.PatchRawAsync(Url(Acme, $"/{resource}/{id}"), $$"""{"description": "edit {{i}}"}""")),
                deletes.RaceAsync(() => client.DeleteAsync(Url(Acme, $"/{resource}/{id}"))));
        }
        patches.AssertOnlyExpected();
        deletes.AssertOnlyExpected();
        Assert.Empty((await (await client.GetAsync(Url(Acme, $"/{resource}"))).ReadJsonAsync()).AsArray());
    }

    [Fact]
    public async Task VerifyRacingDelete_VerifyIsOkOrNotFound_DeleteSucceeds()
    {
        var verifies = new RaceTally("200", "404 not_found");
        var deletes = new RaceTally("204");
        var client = Owner();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await CreateAsync("vault-connections", $"verified {round}");
            await Task.WhenAll(
                verifies.RaceAsync(3, _ => client.PostAsync(Url(Acme, $"/vault-connections/{id}/verify"), null)),
                deletes.RaceAsync(() => client.DeleteAsync(Url(Acme, $"/vault-connections/{id}"))));
        }
        verifies.AssertOnlyExpected();
        deletes.AssertOnlyExpected();
        // Every connection went to the trash with its credential.
        Assert.Equal(Rounds, (await StoredKeysAsync()).Count);
    }

    [Fact]
    public async Task VaultSecretCreatedWhileItsConnectionIsDeleted_OneWinsCleanly()
    {
        var creates = new RaceTally("201", "404 not_found");
        var deletes = new RaceTally("204", "409 in_use");
        var client = Owner();
        for (var round = 0; round < Rounds; round++)
        {
            var connection = await CreateAsync("vault-connections", $"vault {round}");
            var results = await Task.WhenAll(
                creates.RaceAsync(() => client.PostJsonAsync(Url(Acme, "/secrets"), VaultSecret(connection, $"mapped {round}"))),
                deletes.RaceAsync(() => client.DeleteAsync(Url(Acme, $"/vault-connections/{connection}"))));
            var (created, deleted) = (results[0].Single().ToString(), results[1].Single().ToString());
            // Exactly one of them happened: a secret never points at a deleted connection.
            Assert.True((created == "201") == (deleted == "409 in_use"), $"create {created}, delete {deleted}");
            if (created == "201")
            {
                var secrets = (await (await client.GetAsync(Url(Acme, "/secrets"))).ReadJsonAsync()).AsArray();
                await DeleteAsync(client, "secrets", (string)Assert.Single(secrets)!["id"]!);
                await DeleteAsync(client, "vault-connections", connection);
            }
        }
        creates.AssertOnlyExpected();
        deletes.AssertOnlyExpected();
    }

    [Fact]
    public async Task RegisterOneEmailTwice_AtOnce_OneAccount_BothAnsweredAlike()
    {
        // Registration answers the same whether or not the email has an account, so both are sent to sign in.
        const string SignIn = "302 /account/login?registered=true";
        var tally = new RaceTally(SignIn);
        var options = new TestPortalOptions();
        options.Settings["Accounts:AttemptsPerMinute"] = "1000"; // the race, not the throttle, is under test
        options.Settings["Accounts:Registration"] = "open"; // registration without an invitation is under test
        await using var fresh = await TestPortal.StartAsync(options);
        await using (var setup = fresh.Services.CreateAsyncScope())
        {
            // Past first-run setup, so /account/register is served.
            Assert.True((await setup.ServiceProvider.GetRequiredService<TeamService>().FindOrCreateUserAsync("owner@example.com", TestPortal.Password)).IsSuccess);
        }
        for (var round = 0; round < Rounds / 2; round++)
        {
            var email = $"twice-{Guid.NewGuid():N}@example.com";
            var forms = new[] { await PageForm.LoadAsync(fresh, "/account/register"), await PageForm.LoadAsync(fresh, "/account/register") };
            var outcomes = await tally.RaceAsync(forms.Select(form => (Func<Task<HttpResponseMessage>>)(() =>
                form.SubmitAsync("register", Registration(email)))).ToArray());
            Assert.All(outcomes, o => Assert.Equal(SignIn, o.ToString()));
            await using var scope = fresh.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
        }
        tally.AssertOnlyExpected();
    }

    [Fact]
    public async Task SetupOneEmailTwice_AtOnce_OneOwner_OtherToldItExistsOrSentToSignIn()
    {
        // The loser is told the account exists, or, when the winner had finished, sent to sign in.
        var tally = new RaceTally("302 /", "200", "302 /account/login");
        for (var round = 0; round < 5; round++)
        {
            await using var fresh = await TestPortal.StartAsync();
            // One after the other: the first request of a fresh portal creates its data-protection key ring.
            var forms = new[] { await PageForm.LoadAsync(fresh, "/setup"), await PageForm.LoadAsync(fresh, "/setup") };
            var fields = new Dictionary<string, string>(Registration("first@example.com")) { ["Input.TeamName"] = "First team" };
            var outcomes = await tally.RaceAsync(forms.Select(form => (Func<Task<HttpResponseMessage>>)(() =>
                form.SubmitAsync("setup", fields))).ToArray());
            Assert.Equal(1, outcomes.Count(o => o.ToString() == "302 /"));
        }
        tally.AssertOnlyExpected();
    }

    private static Dictionary<string, string> Registration(string email) => new()
    {
        ["Input.Email"] = email,
        ["Input.Password"] = TestPortal.Password,
        ["Input.ConfirmPassword"] = TestPortal.Password,
    };
}
