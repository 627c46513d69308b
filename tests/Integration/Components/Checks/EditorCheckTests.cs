using Bunit;
using Dataraven.Core.Audit;
using Dataraven.Core.Checks;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Secrets;
using SecretDraft = Dataraven.Portal.Components.Pages.Secrets.SecretDraft;
using Dataraven.Tests.Components.Secrets;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Tests.Components.Checks;

/// <summary>
/// The editor's Check on a real portal's services, against the B2 fake (directly and behind the Doppler fake): a draft's
/// typed values and a draft's mappings are checked without recording anything; a saved secret's check records its health.
/// </summary>
public sealed class EditorCheckTests : IAsyncLifetime
{
    private const string KeyId = "0051234567890ab0000000099";
    private const string GoodKey = "K005editorCheckApplicationKey01";
    private const string WrongKey = "K005editorCheckWrongApplication";

    private ProviderFakes _fakes = null!;
    private FakeB2Server _b2 = null!;
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;
    private TeamActor _owner = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        _b2 = (await FakeB2Server.StartAsync()).AddKey(KeyId, GoodKey, ["listFiles"]);
        _fakes.Doppler.SetSecrets(ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig,
            new Dictionary<string, string> { ["B2_KEY_ID"] = KeyId, ["B2_KEY"] = GoodKey });
        var options = new TestPortalOptions();
        _fakes.Configure(options);
        options.Settings["Storage:B2:BaseUrl"] = _b2.BaseUrl;
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync("Acme", "pro");
        _owner = new TeamActor(_team.TeamId, _team.OwnerId, TeamRole.Owner);
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _b2.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    [Theory]
    [InlineData(GoodKey, "ok")]
    [InlineData(WrongKey, "rejected")]
    public async Task Draft_DirectValues_CheckedBeforeSaving_NothingRecorded(string key, string storageStatus)
    {
        var draft = new SecretDraft();
        draft.ChooseType("b2");
        draft.Credentials["application_key_id"] = KeyId;
        draft.Credentials["application_key"] = key;
        await using var ctx = PortalComponents.NewContext(_portal);

        var cut = Render(ctx, draft);
        Assert.Equal("Check before saving", cut.Find("h2").TextContent.Trim());
        cut.Find("[data-testid='check-run']").Click();

        var storage = cut.WaitForElement("[data-testid='check-storage']");
        Assert.Equal(storageStatus, storage.GetAttribute("data-status"));
        var fields = cut.FindAll("[data-testid='check-field']");
        Assert.Equal(["application_key_id", "application_key"], fields.Select(f => f.GetAttribute("data-field")));
        Assert.Contains(key.Length.ToString(), fields[1].TextContent);
        Assert.DoesNotContain(key, cut.Markup);
        Assert.Empty(await EventsAsync());
    }

    [Fact]
    public async Task Draft_Mappings_ResolveThroughTheConnection_FieldByField()
    {
        var doppler = await PortalComponents.CreateConnectionAsync(_portal, _team, "doppler", "Doppler");
        var draft = new SecretDraft();
        draft.ChooseType("b2");
        draft.ChooseSource(SecretSource.Vault);
        await using var ctx = PortalComponents.NewContext(_portal);
        var cut = Render(ctx, draft);
        Assert.NotNull(cut.Find("[data-testid='check-not-ready']"));

        draft.ChooseConnection(doppler);
        draft.References["application_key_id"] = "B2_KEY_ID";
        draft.References["application_key"] = "B2_KEY_MISSING";
        cut.Render(p => p.Add(c => c.Draft, draft));
        cut.Find("[data-testid='check-run']").Click();

        cut.WaitForElement("[data-testid='check-storage']");
        var fields = cut.FindAll("[data-testid='check-field']").ToDictionary(f => f.GetAttribute("data-field")!, f => f.GetAttribute("data-status"));
        Assert.Equal(new Dictionary<string, string?> { ["application_key_id"] = "ok", ["application_key"] = "missing" }, fields);
        Assert.DoesNotContain(KeyId, cut.Markup);
        Assert.Empty(await EventsAsync());
    }

    [Fact]
    public async Task Saved_ChecksTheStoredValues_AndRecordsTheHealth()
    {
        var created = await _portal.WithAsync<SecretService, Result<SecretDetails>>(s => s.CreateAsync(_owner, new CreateSecretRequest
        {
            Name = "saved", SecretType = "b2", AuthMethod = "b2_application_key",
            Credentials = new() { ["application_key_id"] = KeyId, ["application_key"] = GoodKey },
        }));
        var draft = SecretDraft.For(created.Value!);
        await using var ctx = PortalComponents.NewContext(_portal);

        var cut = Render(ctx, draft);
        Assert.Equal("Check the saved secret", cut.Find("h2").TextContent.Trim());
        // Unsaved edits are not what a saved check reads.
        draft.Credentials["application_key"] = WrongKey;
        cut.Find("[data-testid='check-run']").Click();

        Assert.Equal("ok", cut.WaitForElement("[data-testid='check-storage']").GetAttribute("data-status"));
        var stored = await _portal.WithAsync<PortalDbContext, Secret>(db => db.Secrets.AsNoTracking().SingleAsync(s => s.Id == created.Value!.Secret.Id));
        Assert.Equal(CheckStatus.Ok, stored.Health.Status);
        Assert.NotNull(stored.Health.CheckedAt);
        Assert.Single(await EventsAsync());
    }

    private IRenderedComponent<EditorCheck> Render(BunitContext ctx, SecretDraft draft) =>
        ctx.Render<EditorCheck>(p => p.Add(c => c.Draft, draft).Add(c => c.Actor, _owner));

    private Task<List<AuditEvent>> EventsAsync() => _portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
        db.AuditEvents.AsNoTracking().Where(e => e.TeamId == _team.TeamId && e.Action == AuditActions.SecretChecked).ToListAsync());
}
