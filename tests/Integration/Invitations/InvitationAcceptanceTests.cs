using System.Net;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Invitations;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Invitations;

/// <summary>Opening an invitation's link: registering by invitation only, signing in, joining once.</summary>
public sealed class InvitationAcceptanceTests : IAsyncLifetime
{
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;
    private TeamActor _owner = null!;

    public async Task InitializeAsync()
    {
        _portal = await TestPortal.StartAsync(); // the default: Accounts:Registration = invite_only
        _team = await _portal.CreateTeamAsync("Acme");
        _owner = new TeamActor(_team.TeamId, _team.OwnerId, TeamRole.Owner) { ActorName = _team.OwnerEmail };
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private Task<T> With<T>(Func<InvitationService, Task<T>> f) => _portal.WithAsync(f);

    private async Task<string> InviteAsync(string email, TeamRole role = TeamRole.Operator) =>
        (await With(s => s.CreateAsync(_owner, email, role.ToWire()))).Value!.Token;

    private async Task<Guid> UserAsync(string email) =>
        (await _portal.WithAsync<TeamService, Result<PortalUser>>(t => t.FindOrCreateUserAsync(email, TestPortal.Password))).Value!.Id;

    private static Dictionary<string, string> Registration(string email) => new()
    {
        ["Input.Email"] = email, ["Input.Password"] = TestPortal.Password, ["Input.ConfirmPassword"] = TestPortal.Password,
    };

    private async Task<bool> UserExistsAsync(string email)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Users.AnyAsync(u => u.NormalizedEmail == email.ToUpperInvariant());
    }

    [Fact]
    public async Task Accept_JoinsWithTheRole_Once_AsAnAuditEventOfTheNewMember()
    {
        var token = await InviteAsync("joiner@example.com", TeamRole.Admin);
        var userId = await UserAsync("joiner@example.com");

        var joined = await With(s => s.AcceptAsync(token, userId));
        var again = await With(s => s.AcceptAsync(token, userId));

        Assert.Equal((_team.TeamId, TeamRole.Admin), (joined.Value!.TeamId, joined.Value.Role));
        Assert.Equal(InvitationService.ClosedMessage(InvitationState.Accepted), Assert.IsType<InvitationClosedProblem>(again.Problem).Message);
        Assert.Equal(TeamRole.Admin, (await _portal.WithAsync<TeamService, TeamActor?>(t => t.GetActorAsync(userId, _team.TeamId)))!.Role);
        Assert.Equal(InvitationState.Accepted, (await With(s => s.FindAsync(token)))!.State);
        await using var scope = _portal.Services.CreateAsyncScope();
        var accepted = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEvents
            .SingleAsync(e => e.TeamId == _team.TeamId && e.Action == AuditActions.InvitationAccepted);
        Assert.Equal((userId, "joiner@example.com"), (accepted.ActorId!.Value, accepted.ActorName));
    }

    [Fact]
    public async Task Accept_ByAnotherEmailsAccount_IsRefused_AndJoinsNobody()
    {
        var token = await InviteAsync("invited@example.com");
        var squatter = await UserAsync("someone-else@example.com");

        var result = await With(s => s.AcceptAsync(token, squatter));

        Assert.Contains("invited@example.com", Assert.IsType<InvitationClosedProblem>(result.Problem).Message);
        Assert.Null(await _portal.WithAsync<TeamService, TeamActor?>(t => t.GetActorAsync(squatter, _team.TeamId)));
        Assert.Equal(InvitationState.Pending, (await With(s => s.FindAsync(token)))!.State);
    }

    [Fact]
    public async Task Accept_RevokedOrExpired_IsRefusedWithItsReason()
    {
        var revoked = await InviteAsync("revoked@example.com");
        var expired = await InviteAsync("expired@example.com");
        var id = (await With(s => s.ListPendingAsync(_owner))).Value!.Single(i => i.Email == "revoked@example.com").Id;
        Assert.True((await With(s => s.RevokeAsync(_owner, id))).IsSuccess);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var invitation = await db.Invitations.SingleAsync(i => i.Email == "expired@example.com");
            invitation.ExpiresAt = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        var (revokedUser, expiredUser) = (await UserAsync("revoked@example.com"), await UserAsync("expired@example.com"));
        var onRevoked = await With(s => s.AcceptAsync(revoked, revokedUser));
        var onExpired = await With(s => s.AcceptAsync(expired, expiredUser));

        Assert.Equal(InvitationService.ClosedMessage(InvitationState.Revoked), onRevoked.Problem!.Message);
        Assert.Equal(InvitationService.ClosedMessage(InvitationState.Expired), onExpired.Problem!.Message);
        Assert.Empty((await With(s => s.ListPendingAsync(_owner))).Value!);
    }

    [Fact]
    public async Task InviteOnly_RegisterWithoutAnInvitation_SaysAskAnOwner_AndCreatesNoAccount()
    {
        var page = await _portal.CreateClient().GetStringAsync("/account/register");
        Assert.Contains("by invitation only", page);
        Assert.DoesNotContain("Create account", page);

        // A post made without the page (a script) is refused the same way.
        var client = SignedInClient.CreateFormClient(_portal);
        var response = await SignedInClient.PostFormAsync(client, "/account/register", "register", Registration("walk-in@example.com"));

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await UserExistsAsync("walk-in@example.com"));
    }

    [Fact]
    public async Task InviteOnly_RegisterWithAnInvitation_CreatesTheInvitedEmailOnly_ThenSignInLeadsBackToJoin()
    {
        var token = await InviteAsync("invited@example.com");
        var form = await PageForm.LoadAsync(_portal, $"/account/register?invitation={token}");

        // The email is fixed by the invitation: another one typed into the form is ignored.
        var response = await form.SubmitAsync("register", Registration("squatter@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains($"ReturnUrl=%2Finvitations%2F{token}", response.Headers.Location!.OriginalString);
        Assert.True(await UserExistsAsync("invited@example.com"));
        Assert.False(await UserExistsAsync("squatter@example.com"));
    }

    [Fact]
    public async Task InvitationPage_SignedIn_JoinJoinsAndMakesItTheCurrentTeam_ThenTheLinkIsUsed()
    {
        var token = await InviteAsync("member@example.com", TeamRole.Viewer);
        var other = await _portal.CreateTeamAsync("Other", ownerEmail: "member@example.com"); // their current team so far
        var userId = other.OwnerId;
        var browser = await SignedInClient.CreateAsync(_portal, "member@example.com");

        var page = await browser.GetStringAsync($"/invitations/{token}");
        Assert.Contains("You are invited to join <strong>Acme</strong> as <strong>Viewer</strong>", page);
        var join = await SignedInClient.PostFormAsync(browser, $"/invitations/{token}", "join", new());

        Assert.Equal(HttpStatusCode.Redirect, join.StatusCode);
        Assert.Equal("/", join.Headers.Location!.OriginalString);
        Assert.Equal(TeamRole.Viewer, (await _portal.WithAsync<TeamService, TeamActor?>(t => t.GetActorAsync(userId, _team.TeamId)))!.Role);
        Assert.Contains("has been used already", await browser.GetStringAsync($"/invitations/{token}"));
        await using var scope = _portal.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Users.SingleAsync(u => u.Id == userId);
        Assert.Equal(_team.TeamId, user.CurrentTeamId);
    }

    [Fact]
    public async Task InvitationPage_UnknownToken_SaysTheLinkIsNotValid() =>
        Assert.Contains("This invitation link is not valid", await _portal.CreateClient().GetStringAsync("/invitations/not-a-real-token"));
}
