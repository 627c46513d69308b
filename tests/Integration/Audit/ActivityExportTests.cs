using System.Net;
using Dataraven.Core.Audit;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Audit;

/// <summary>/activity/export.csv: the Activity page's download, for the signed-in member's current team only.</summary>
public sealed class ActivityExportTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    [Fact]
    public async Task SignedIn_GetsTheCurrentTeamsEvents_WithThePagesFilters()
    {
        var acme = await Portal.CreateTeamAsync("Acme");
        var globex = await Portal.CreateTeamAsync("Globex");
        var mine = await AuditSeed.AddAsync(Portal.Services,
        [
            (AuditSeed.Actor(acme, "bob@example.com"), AuditActions.SecretCreated, AuditTarget.Secret(Guid.NewGuid(), "Media")),
            (AuditSeed.Actor(acme, "carol@example.com"), AuditActions.SecretCreated, AuditTarget.Secret(Guid.NewGuid(), "Analytics")),
        ]);
        var theirs = await AuditSeed.AddAsync(Portal.Services,
            [(AuditSeed.Actor(globex, "carol@example.com"), AuditActions.SecretCreated, AuditTarget.Secret(Guid.NewGuid(), "Analytics"))]);
        using var client = await SignedInClient.CreateAsync(Portal, acme.OwnerEmail);

        var response = await client.GetAsync("/activity/export.csv?q=carol&from=2020-01-01&to=2020-12-31");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("id,at,actor_type", text);
        Assert.Contains(mine[1].Id.ToString(), text);
        Assert.DoesNotContain(mine[0].Id.ToString(), text);
        Assert.DoesNotContain(theirs[0].Id.ToString(), text);
    }

    [Fact]
    public async Task SignedOut_IsSentToSignIn_AndGetsNoCsv()
    {
        using var client = SignedInClient.CreateFormClient(Portal);

        var response = await client.GetAsync("/activity/export.csv");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.ToString());
    }
}
