using System.Net;
using Dataraven.Core.Audit;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Audit;

/// <summary>The real store with hooks that run before each write and delete (to fail it, or to race it).</summary>
public sealed class HookedCredentialStore(ICredentialStore inner) : ICredentialStore
{
    public Func<CredentialKey, Task>? BeforePut { get; set; }
    public Func<CredentialKey, Task>? BeforeDelete { get; set; }

    public async Task PutAsync(CredentialKey key, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default)
    {
        if (BeforePut is { } hook)
        {
            await hook(key);
        }
        await inner.PutAsync(key, fields, ct);
    }

    public Task<IReadOnlyDictionary<string, string>?> GetAsync(CredentialKey key, CancellationToken ct = default) => inner.GetAsync(key, ct);

    public async Task DeleteAsync(CredentialKey key, CancellationToken ct = default)
    {
        if (BeforeDelete is { } hook)
        {
            await hook(key);
        }
        await inner.DeleteAsync(key, ct);
    }

    public IAsyncEnumerable<CredentialKey> ListAsync(CancellationToken ct = default) => inner.ListAsync(ct);

    public IAsyncEnumerable<string> ListIncompleteWritesAsync(CancellationToken ct = default) => inner.ListIncompleteWritesAsync(ct);

    public Task DeleteIncompleteWriteAsync(string name, CancellationToken ct = default) => inner.DeleteIncompleteWriteAsync(name, ct);
}

/// <summary>Fails the next database commit: the statements of the change (and of its event) ran, the transaction rolls back.</summary>
public sealed class FailingCommitInterceptor : DbTransactionInterceptor
{
    public bool Armed { get; set; }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(System.Data.Common.DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Armed)
        {
            Armed = false;
            throw new InvalidOperationException("Injected commit failure.");
        }
        return ValueTask.FromResult(result);
    }
}

public class AuditRollbackPortal : ApiPortalFixture
{
    public FailingCommitInterceptor Commits { get; } = new();
    public HookedCredentialStore Store { get; private set; } = null!;

    protected override Task ConfigureAsync(TestPortalOptions options)
    {
        options.Services = services =>
        {
            services.DecorateCredentialStore((_, real) => Store = new HookedCredentialStore(real));
            services.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(Commits));
            services.ConfigureDbContext<PostgresPortalDbContext>(o => o.AddInterceptors(Commits));
        };
        return Task.CompletedTask;
    }
}

public sealed class AuditRollbackPostgresPortal : AuditRollbackPortal
{
    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        await base.ConfigureAsync(options);
        await PostgresRun.ConfigureAsync(options);
    }
}

public sealed class RollbackAuditTestsSqlite(AuditRollbackPortal fixture) : RollbackAuditTests(fixture), IClassFixture<AuditRollbackPortal>;

public sealed class RollbackAuditTestsPostgres(AuditRollbackPostgresPortal fixture) : RollbackAuditTests(fixture), IClassFixture<AuditRollbackPostgresPortal>;

/// <summary>An event is written iff its change commits: a lost race, a failed commit or a store failure before the commit leave none.</summary>
public abstract class RollbackAuditTests(AuditRollbackPortal fixture) : ApiTestBase(fixture), IDisposable
{
    private HookedCredentialStore HookedStore
    {
        get
        {
            Portal.Services.GetRequiredService<ICredentialStore>();
            return fixture.Store;
        }
    }

    public void Dispose()
    {
        fixture.Commits.Armed = false;
        HookedStore.BeforePut = null;
        HookedStore.BeforeDelete = null;
    }

    private static Dictionary<string, object?> DirectSecret(string name) => new()
    {
        ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
        ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
    };

    private async Task<Guid> SecretAsync(string name) =>
        Guid.Parse((string)(await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectSecret(name))).AssertStatusAsync(HttpStatusCode.Created))["id"]!);

    private Task<List<string>> SecretNamesAsync() =>
        Portal.WithAsync<PortalDbContext, List<string>>(db => db.Secrets.Where(s => s.TeamId == Acme.TeamId).Select(s => s.Name).ToListAsync());

    [Fact]
    public async Task LostNameRace_OnRename_LeavesNoEvent()
    {
        var renamed = await SecretAsync("first");
        // While the rename stages its new credentials (its name check passed), another request takes the name.
        HookedStore.BeforePut = async key =>
        {
            if (key.ObjectId == renamed && key.IsStaged)
            {
                HookedStore.BeforePut = null;
                await SecretAsync("Taken");
            }
        };
        var patch = new Dictionary<string, object?> { ["name"] = "taken", ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key") };

        var events = await AuditTable.AddedByAsync(Portal, Acme.TeamId, async () =>
            await (await Owner().SendAsync(new HttpRequestMessage(HttpMethod.Patch, Url(Acme, $"/secrets/{renamed}"))
            {
                Content = System.Net.Http.Json.JsonContent.Create(patch),
            })).AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict"));

        var e = Assert.Single(events);
        Assert.Equal((AuditActions.SecretCreated, "Taken"), (e.Action, e.TargetName));
        Assert.Contains("first", await SecretNamesAsync());
    }

    // Changes that commit in a transaction of their own; a single SaveChanges is atomic by itself.
    public static TheoryData<string> Changes => new() { "create secret", "rename secret", "delete vault connection", "verify" };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task FailedCommit_LeavesNeitherTheChangeNorItsEvent(string change)
    {
        var secret = await SecretAsync("kept");
        var connection = Guid.Parse((string)(await CreateConnectionAsync("doppler", "kept"))["id"]!);
        Func<HttpClient, Task<HttpResponseMessage>> call = change switch
        {
            "create secret" => c => c.PostJsonAsync(Url(Acme, "/secrets"), DirectSecret("new")),
            "rename secret" => c => c.PatchRawAsync(Url(Acme, $"/secrets/{secret}"), """{"name":"renamed"}"""),
            "delete vault connection" => c => c.DeleteAsync(Url(Acme, $"/vault-connections/{connection}")),
            "verify" => c => c.PostAsync(Url(Acme, $"/vault-connections/{connection}/verify"), null),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var verifiedAt = (string?)(await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{connection}"))).ReadJsonAsync())["last_verified_at"];

        var events = await AuditTable.AddedByAsync(Portal, Acme.TeamId, async () =>
        {
            fixture.Commits.Armed = true;
            var response = await call(Owner());
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        });

        Assert.Empty(events);
        Assert.False(fixture.Commits.Armed);
        Assert.Equal(["kept"], await SecretNamesAsync());
        Assert.Equal(verifiedAt, (string?)(await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{connection}"))).ReadJsonAsync())["last_verified_at"]);
    }

    [Fact]
    public async Task StoreFailureBeforeTheCommit_LeavesNoEvent()
    {
        var secret = await SecretAsync("kept");
        HookedStore.BeforePut = _ => throw new CredentialStoreUnavailableException("Injected store failure.");

        var events = await AuditTable.AddedByAsync(Portal, Acme.TeamId, async () =>
        {
            await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectSecret("new"))).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
            await (await Owner().SendAsync(new HttpRequestMessage(HttpMethod.Patch, Url(Acme, $"/secrets/{secret}"))
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { credentials = ValidationSamples.ValidCredentials("s3", "s3_access_key") }),
            })).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        });

        Assert.Empty(events);
    }

    [Fact]
    public async Task StoreFailureAfterTheCommit_KeepsTheEvent_OfTheCommittedChange()
    {
        var secret = await SecretAsync("gone");
        HookedStore.BeforeDelete = _ => throw new CredentialStoreUnavailableException("Injected store failure.");

        var e = await AuditTable.OneAddedByAsync(Portal, Acme.TeamId, async () =>
            await (await Owner().DeleteAsync(Url(Acme, $"/secrets/{secret}"))).AssertStatusAsync(HttpStatusCode.NoContent));

        e.AssertIs(AuditActions.SecretDeleted, "succeeded", "secret", secret);
        Assert.DoesNotContain("gone", await SecretNamesAsync());
    }
}
