using Dataraven.Core.Audit;
using Dataraven.Portal.Commands;
using Dataraven.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Audit;

/// <summary>The bootstrap command's changes are the Owner's, via cli.</summary>
public sealed class CliAuditTests : IAsyncLifetime
{
    private TestPortal _portal = null!;

    public async Task InitializeAsync() => _portal = await TestPortal.StartAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Bootstrap_RecordsTheTeamAndItsKey_AsTheOwner_ViaCli()
    {
        var config = _portal.Services.GetRequiredService<IConfiguration>();
        var settings = new[] { "ConnectionStrings:Portal", "CredentialStore:Provider", "CredentialStore:Local:Key", "CredentialStore:Local:Path", "DataProtection:KeysPath" }
            .ToDictionary(k => k, k => config[k]);
        var stderr = new StringWriter();
        var code = await PortalCommands.RunAsync(["bootstrap", "--team", "Acme", "--email", "owner@example.com", "--password", TestPortal.Password],
            new StringWriter(), stderr, builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.ClearProviders();
            });
        Assert.True(code == 0, stderr.ToString());

        var events = (await AuditTable.AllAsync(_portal)).OrderBy(e => e.At).ThenBy(e => e.Action == AuditActions.ApiKeyCreated).ToList();
        Assert.Equal([AuditActions.TeamCreated, AuditActions.ApiKeyCreated], events.Select(e => e.Action));
        Assert.All(events, e =>
        {
            Assert.Equal(("user", "owner@example.com", "cli", "succeeded", (string?)null), (e.ActorType, e.ActorName, e.Via, e.Outcome, e.Ip));
            Assert.NotNull(e.ActorId);
        });
        Assert.Equal(("Acme", "bootstrap"), (events[0].TargetName, events[1].TargetName));
    }
}
