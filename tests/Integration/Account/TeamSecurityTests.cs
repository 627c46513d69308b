using System.Net;
using System.Text.RegularExpressions;
using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Tests.Accounts;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Account;

/// <summary>The team policy <c>/v1/teams/{team_id}/security</c> and what it does to members' pages.</summary>
public sealed partial class TeamSecurityTests(LocalApiPortal portal) : ApiTestBase(portal), IClassFixture<LocalApiPortal>
{
    private Task<HttpResponseMessage> PutAsync(string json, HttpClient? client = null, TeamFixture? team = null) =>
        (client ?? Owner(team)).PutRawAsync(Url(team ?? Acme, "/security"), json);

    [Fact]
    public async Task Get_BeforeAnyChange_IsOffWithoutUpdate()
    {
        var body = await (await Owner().GetAsync(Url(Acme, "/security"))).AssertStatusAsync(HttpStatusCode.OK);

        Assert.False(body["require_two_factor"]!.GetValue<bool>());
        Assert.Null(body["updated_at"]);
        Assert.Null(body["updated_by"]);
    }

    [Fact]
    public async Task Put_Owner_Answers200WithTheBody_EveryRoleReadsIt_AndItIsAudited()
    {
        var put = await (await PutAsync("""{"require_two_factor": true}""")).AssertStatusAsync(HttpStatusCode.OK);

        Assert.True(put["require_two_factor"]!.GetValue<bool>());
        Assert.Equal(Acme.OwnerId, put["updated_by"]!.GetValue<Guid>());
        Assert.True(DateTime.UtcNow - put["updated_at"]!.GetValue<DateTime>() < TimeSpan.FromMinutes(1));
        foreach (var role in new[] { TeamRole.Admin, TeamRole.Operator, TeamRole.Viewer })
        {
            var member = await Portal.AddMemberAsync(Acme, role);
            var got = await (await Portal.CreateClient(member.Key).GetAsync(Url(Acme, "/security"))).AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal(put.ToJsonString(), got.ToJsonString());
        }
        var events = await Portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
            db.AuditEvents.Where(e => e.TeamId == Acme.TeamId && e.Action == AuditActions.TeamSecurityChanged).ToListAsync());
        var e = Assert.Single(events);
        Assert.Equal("team", e.TargetType);
        Assert.Contains("\"require_two_factor\":{\"from\":false,\"to\":true}", e.Details);
        // Another team is untouched.
        var globex = await (await Owner(Globex).GetAsync(Url(Globex, "/security"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.False(globex["require_two_factor"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(TeamRole.Admin)]
    [InlineData(TeamRole.Operator)]
    [InlineData(TeamRole.Viewer)]
    public async Task Put_NotOwner_Is403_ChangesNothing_AndTheRefusalIsAudited(TeamRole role)
    {
        var member = await Portal.AddMemberAsync(Acme, role);

        await (await PutAsync("""{"require_two_factor": true}""", Portal.CreateClient(member.Key))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");

        var body = await (await Owner().GetAsync(Url(Acme, "/security"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.False(body["require_two_factor"]!.GetValue<bool>());
        var refused = await Portal.WithAsync<PortalDbContext, AuditEvent>(db =>
            db.AuditEvents.SingleAsync(e => e.TeamId == Acme.TeamId && e.Action == AuditActions.TeamSecurityChanged));
        Assert.Equal("failed", refused.Outcome);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"require_two_factor": null}""")]
    [InlineData("""{"require_two_factor": "yes"}""")]
    [InlineData("""{"require_two_factor": 1}""")]
    public async Task Put_BadBody_Is400NamingTheField_AndChangesNothing(string json)
    {
        await (await PutAsync(json)).AssertValidationErrorAsync("require_two_factor");

        var body = await (await Owner().GetAsync(Url(Acme, "/security"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Null(body["updated_at"]);
    }

    [Fact]
    public async Task GetAndPut_AnotherTeamsId_Is404()
    {
        await (await Owner().GetAsync(Url(Globex, "/security"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await PutAsync("""{"require_two_factor": true}""", Owner(), Globex)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Required_MemberWithoutSecondFactor_IsSentToEnrol_ApiKeysAreNotAffected()
    {
        await (await PutAsync("""{"require_two_factor": true}""")).AssertStatusAsync(HttpStatusCode.OK);
        var member = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var browser = await SignedInClient.CreateAsync(Portal, member.Email);

        foreach (var page in new[] { "/", "/secrets", "/members" })
        {
            var response = await browser.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/security?required=true", response.Headers.Location!.PathAndQuery);
        }
        var security = await browser.GetStringAsync("/account/security?required=true");
        Assert.Contains("data-testid=\"two-factor-required\"", security);
        Assert.Contains("Acme requires a second factor", security);

        // The member's API key works as before.
        Assert.Equal(HttpStatusCode.OK, (await Portal.CreateClient(member.Key).GetAsync(Url(Acme, "/secrets"))).StatusCode);

        // With an authenticator, the pages open.
        var key = await EnableAuthenticatorAsync(member.UserId);
        var withCode = await SignInWithCodeAsync(member.Email, key);
        Assert.Equal(HttpStatusCode.OK, (await withCode.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Required_TheLastFactorCannotBeRemoved_AndMembersShowsWhoHasOne()
    {
        await (await PutAsync("""{"require_two_factor": true}""")).AssertStatusAsync(HttpStatusCode.OK);
        var key = await EnableAuthenticatorAsync(Acme.OwnerId);
        var without = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var browser = await SignInWithCodeAsync(Acme.OwnerEmail, key);

        var page = await browser.GetStringAsync("/account/security");
        Assert.Contains("data-testid=\"authenticator-kept\"", page);
        Assert.DoesNotContain("data-testid=\"disable-authenticator\"", page);
        var token = PageForm.AntiforgeryToken().Match(page).Groups[1].Value;
        var disable = await SignedInClient.PostFormAsync(browser, "/account/security", "authenticator-disable", new(), token);
        Assert.NotEqual(HttpStatusCode.Redirect, disable.StatusCode);
        Assert.True(await Portal.WithAsync<PortalDbContext, bool>(db => db.Users.Where(u => u.Id == Acme.OwnerId).Select(u => u.TwoFactorEnabled).SingleAsync()));

        var members = await browser.GetStringAsync("/members");
        Assert.Matches(SecondFactorCell(Acme.OwnerEmail, "On"), members);
        Assert.Matches(SecondFactorCell(without.Email, "None"), members);
    }

    private static Regex SecondFactorCell(string email, string text) => new($"data-testid=\"two-factor-{Regex.Escape(email)}\">{text}<");

    private async Task<string> EnableAuthenticatorAsync(Guid userId)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    private async Task<SignedInClient.FormClient> SignInWithCodeAsync(string email, string key)
    {
        var browser = SignedInClient.CreateFormClient(Portal);
        await SignedInClient.SignInAsync(browser, email, TestPortal.Password);
        var response = await SignedInClient.PostFormAsync(browser, "/account/login/two-factor", "two-factor", new() { ["Input.Code"] = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(SignedInClient.HasAuthCookie(browser));
        return browser;
    }
}
