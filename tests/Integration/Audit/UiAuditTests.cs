using Dataraven.Core.Invitations;
using System.Net;
using System.Security.Claims;
using Bunit;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Core.VaultConnections;
using Dataraven.Portal.Components.Pages.Team;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Dataraven.Tests.Audit;

/// <summary>
/// Every UI action, through the pages' own code path: the page calls the service with <see cref="PortalContext.Actor"/>.
/// Each writes one event with the signed-in user (id and email), via ui, and the browser's address.
/// </summary>
public sealed class UiAuditTests : IAsyncLifetime
{
    private const string Ip = "198.51.100.4";
    private TestPortal _portal = null!;
    private ProviderFakes _fakes = null!;
    private TeamFixture _team = null!;
    private PortalContext _owner = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        var options = new TestPortalOptions();
        _fakes.Configure(options);
        _portal = await TestPortal.StartAsync(options);
        _team = await _portal.CreateTeamAsync("Acme", "pro");
        var membership = new Membership(_team.TeamId, "Acme", "pro", TeamRole.Owner);
        _owner = new PortalContext(_team.OwnerId, _team.OwnerEmail, [membership], membership, Ip);
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private TeamActor Actor => _owner.Actor!;

    /// <summary>Runs the page's call and returns its one event, checked for who and where.</summary>
    private async Task<AuditEvent> UiCallAsync<TService, T>(Func<TService, Task<Result<T>>> call) where TService : notnull
    {
        var e = await AuditTable.OneAddedByAsync(_portal, _team.TeamId, async () =>
        {
            var result = await _portal.WithAsync(call);
            Assert.True(result.IsSuccess, result.Problem?.Message);
        });
        AssertOwner(e);
        return e;
    }

    private void AssertOwner(AuditEvent e)
    {
        Assert.Equal(("user", _team.OwnerId, _team.OwnerEmail, "ui", Ip), (e.ActorType, e.ActorId, e.ActorName, e.Via, e.Ip));
        Assert.Equal("succeeded", e.Outcome);
    }

    private static CreateVaultConnectionRequest Doppler(string name) => new()
    {
        Name = name, VaultType = "doppler", AccessToken = ProviderFakes.DopplerToken,
        Project = ProviderFakes.DopplerProject, Config = ProviderFakes.DopplerConfig,
    };

    private async Task<Guid> ConnectionAsync(string name = "vault") =>
        (await _portal.WithAsync<VaultConnectionService, Result<VaultConnectionDetails>>(s => s.CreateAsync(Actor, Doppler(name)))).Value!.Connection.Id;

    private async Task<Guid> SecretAsync(string name = "direct") =>
        (await _portal.WithAsync<SecretService, Result<SecretDetails>>(s =>
            s.CreateAsync(Actor, WithName(ValidationSamples.DirectSecret("s3", "s3_access_key"), name)))).Value!.Secret.Id;

    private static CreateSecretRequest WithName(CreateSecretRequest r, string name)
    {
        r.Name = name;
        return r;
    }

    [Fact]
    public async Task PlanPage_ChangeTier()
    {
        var e = await UiCallAsync<TierLimits, UsageReport>(l => l.ChangeTierAsync(Actor, "free"));
        e.AssertIs(AuditActions.TierChanged, "succeeded", "team", _team.TeamId);
    }

    [Fact]
    public async Task MembersPage_InviteChangeRemove()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var user = (await _portal.WithAsync<TeamService, Result<PortalUser>>(t => t.FindOrCreateUserAsync(email, TestPortal.Password))).Value!;

        var invited = await UiCallAsync<InvitationService, InvitationCreated>(i => i.CreateAsync(Actor, email, "viewer"));
        invited.AssertIs(AuditActions.InvitationCreated, "succeeded", "invitation");
        Assert.Equal((email, """{"role":"viewer"}"""), (invited.TargetName, invited.Details));
        await _portal.WithAsync<InvitationService, Result<Membership>>(async i =>
        {
            var token = (await i.CreateAsync(Actor, email, "viewer")).Value!.Token;
            return await i.AcceptAsync(token, user.Id);
        });

        var changed = await UiCallAsync<TeamService, Done>(t => t.ChangeRoleAsync(Actor, user.Id, TeamRole.Admin));
        changed.AssertIs(AuditActions.MemberRoleChanged, "succeeded", "member", user.Id);
        Assert.Equal("""{"role":{"from":"viewer","to":"admin"}}""", changed.Details);

        var removed = await UiCallAsync<TeamService, Done>(t => t.RemoveMemberAsync(Actor, user.Id));
        removed.AssertIs(AuditActions.MemberRemoved, "succeeded", "member", user.Id);
        Assert.Equal(email, removed.TargetName);
    }

    [Fact]
    public async Task ApiKeysPage_CreateDelete()
    {
        var created = await UiCallAsync<ApiKeyService, ApiKeyCreated>(k => k.CreateAsync(Actor, "ci", "admin"));
        created.AssertIs(AuditActions.ApiKeyCreated, "succeeded", "api_key");
        var id = created.TargetId!.Value;
        var deleted = await UiCallAsync<ApiKeyService, Done>(k => k.DeleteAsync(Actor, id));
        deleted.AssertIs(AuditActions.ApiKeyDeleted, "succeeded", "api_key", id);
    }

    [Fact]
    public async Task VaultConnectionPages_CreateEditRotateVerifyDelete()
    {
        var created = await UiCallAsync<VaultConnectionService, VaultConnectionDetails>(s => s.CreateAsync(Actor, Doppler("wizard")));
        created.AssertIs(AuditActions.VaultConnectionCreated, "succeeded", "vault_connection");
        var id = created.TargetId!.Value;

        (await UiCallAsync<VaultConnectionService, VaultConnectionDetails>(s =>
                s.UpdateAsync(Actor, id, new UpdateVaultConnectionRequest { Name = "wizard", Description = "edited" })))
            .AssertIs(AuditActions.VaultConnectionUpdated, "succeeded", "vault_connection", id);
        (await UiCallAsync<VaultConnectionService, VaultConnectionDetails>(s =>
                s.RotateAsync(Actor, id, new RotateVaultConnectionRequest { AccessToken = ProviderFakes.DopplerToken })))
            .AssertIs(AuditActions.VaultConnectionRotated, "succeeded", "vault_connection", id);
        (await UiCallAsync<VaultConnectionService, VerificationOutcome>(s => s.VerifyAsync(Actor, id)))
            .AssertIs(AuditActions.VaultConnectionVerified, "succeeded", "vault_connection", id);
        (await UiCallAsync<VaultConnectionService, Done>(s => s.DeleteAsync(Actor, id)))
            .AssertIs(AuditActions.VaultConnectionDeleted, "succeeded", "vault_connection", id);
    }

    [Fact]
    public async Task WizardTest_RecordsNothing()
    {
        // "Test the connection" stores nothing, so it is no change; the save after it is the event.
        var events = await AuditTable.AddedByAsync(_portal, _team.TeamId, async () =>
            Assert.True((await _portal.WithAsync<VaultConnectionService, Result<Core.VaultProviders.ProviderCheck>>(s =>
                s.TestAsync(Actor, Doppler("tested")))).IsSuccess));
        Assert.Empty(events);
    }

    [Fact]
    public async Task SecretPages_CreateEditDelete()
    {
        var request = WithName(ValidationSamples.DirectSecret("s3", "s3_access_key"), "editor");
        var created = await UiCallAsync<SecretService, SecretDetails>(s => s.CreateAsync(Actor, request));
        created.AssertIs(AuditActions.SecretCreated, "succeeded", "secret");
        var id = created.TargetId!.Value;
        var updated = await UiCallAsync<SecretService, SecretDetails>(s => s.UpdateAsync(Actor, id, new UpdateSecretRequest { Name = "editor 2" }));
        updated.AssertIs(AuditActions.SecretUpdated, "succeeded", "secret", id);
        Assert.Equal(("editor 2", """{"fields":["name"]}"""), (updated.TargetName, updated.Details));
        (await UiCallAsync<SecretService, Done>(s => s.DeleteAsync(Actor, id))).AssertIs(AuditActions.SecretDeleted, "succeeded", "secret", id);
    }

    [Fact]
    public async Task RefusedForRole_InTheUi_IsOneFailedEvent_OfTheUser()
    {
        var (userId, email, _) = await _portal.AddMemberAsync(_team, TeamRole.Viewer);
        var membership = new Membership(_team.TeamId, "Acme", "pro", TeamRole.Viewer);
        var viewer = new PortalContext(userId, email, [membership], membership, Ip).Actor!;
        var secret = await SecretAsync();

        var e = await AuditTable.OneAddedByAsync(_portal, _team.TeamId, async () =>
            Assert.IsType<ForbiddenRoleProblem>((await _portal.WithAsync<SecretService, Result<Done>>(s => s.DeleteAsync(viewer, secret))).Problem));

        e.AssertIs(AuditActions.SecretDeleted, "failed", "secret", secret);
        Assert.Equal(("user", userId, email, "ui", Ip, "forbidden_role"), (e.ActorType, e.ActorId, e.ActorName, e.Via, e.Ip, e.Code()));
    }

    [Fact]
    public async Task CreateTeamPage_TheNewTeamsFirstEvent_IsItsCreationByTheOwner()
    {
        var team = (await _portal.WithAsync<TeamService, Result<Team>>(t => t.CreateTeamAsync(_owner.UserId, "Second", ip: _owner.Ip))).Value!;
        var e = Assert.Single(await AuditTable.OfTeamAsync(_portal, team.Id));
        e.AssertIs(AuditActions.TeamCreated, "succeeded", "team", team.Id);
        Assert.Equal(("Second", """{"tier":"free"}"""), (e.TargetName, e.Details));
        AssertOwner(e);
    }

    [Fact]
    public async Task MembersPage_ConfirmedRoleChange_RecordsTheSignedInUser()
    {
        var (userId, email, _) = await _portal.AddMemberAsync(_team, TeamRole.Viewer);
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddScoped(_ => _portal.Services.CreateScope());
        ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<TeamService>());
        ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<InvitationService>());
        ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<Dataraven.Core.Accounts.TeamSecurityPolicies>());
        ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<Dataraven.Core.Accounts.MemberPasswordResets>());
        ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<Dataraven.Core.Email.EmailOutbox>());
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<CascadingValue<PortalContext>>(p => p.Add(c => c.Value, _owner).AddChildContent<Members>());

        var e = await AuditTable.OneAddedByAsync(_portal, _team.TeamId, async () =>
        {
            page.WaitForElement($"[data-testid='role-{email}']").Change(nameof(TeamRole.Operator));
            await dialogs.WaitForElement("[data-testid=confirm-ok]").ClickAsync(new());
            page.WaitForAssertion(() => Assert.Equal(nameof(TeamRole.Operator), page.Find($"[data-testid='role-{email}']").GetAttribute("value")));
        });

        e.AssertIs(AuditActions.MemberRoleChanged, "succeeded", "member", userId);
        AssertOwner(e);
    }

    [Fact]
    public async Task PortalSession_CarriesTheCircuitsClientAddress_IntoTheActor()
    {
        var client = new ClientAddress { Ip = Ip };
        var session = new PortalSession(new SignedIn(_team.OwnerId), _portal.Services.GetRequiredService<IServiceScopeFactory>(), client);

        var context = await session.LoadAsync();

        Assert.Equal((_team.OwnerEmail, Ip, AuditVia.Ui), (context!.Actor!.ActorName, context.Actor.Ip, context.Actor.Via));
    }

    [Fact]
    public async Task SetupPage_FirstTeam_RecordsTheNewOwnerAndTheirAddress()
    {
        await using var fresh = await TestPortal.StartAsync();
        var browser = SignedInClient.CreateFormClient(fresh, IPAddress.Parse("192.0.2.9"));
        var token = PageForm.AntiforgeryToken().Match(await browser.GetStringAsync("/setup")).Groups[1].Value;
        var response = await SignedInClient.PostFormAsync(browser, "/setup", "setup", new()
        {
            ["Input.TeamName"] = "First", ["Input.Email"] = "first@example.com",
            ["Input.Password"] = TestPortal.Password, ["Input.ConfirmPassword"] = TestPortal.Password,
        }, token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var e = Assert.Single(await AuditTable.AllAsync(fresh));
        Assert.Equal((AuditActions.TeamCreated, "First", "user", "first@example.com", "ui", "192.0.2.9"),
            (e.Action, e.TargetName, e.ActorType, e.ActorName, e.Via, e.Ip));
    }

    private sealed class SignedIn(Guid userId) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId.ToString())], "test"))));
    }
}
