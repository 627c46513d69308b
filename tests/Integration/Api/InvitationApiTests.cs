using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

public sealed class InvitationApiTestsLocal(LocalApiPortal portal) : InvitationApiTests(portal), IClassFixture<LocalApiPortal>;

public sealed class InvitationApiTestsPostgres(PostgresApiPortal portal) : InvitationApiTests(portal), IClassFixture<PostgresApiPortal>;

public abstract class InvitationApiTests(ApiPortalFixture portal) : ApiTestBase(portal)
{
    private Task<HttpResponseMessage> InviteAsync(string email, string role, HttpClient? client = null, TeamFixture? team = null) =>
        (client ?? Owner(team)).PostJsonAsync(Url(team ?? Acme, "/invitations"), new { email, role });

    [Fact]
    public async Task Create_AnswersTheLinkOnce_StoresOnlyItsHash_AndListsItPendingWithoutTheLink()
    {
        var created = await (await InviteAsync("New.Person@example.com", "operator")).AssertStatusAsync(HttpStatusCode.Created);

        Assert.Equal("New.Person@example.com", created["email"]!.GetValue<string>());
        Assert.Equal("operator", created["role"]!.GetValue<string>());
        Assert.Equal(Acme.OwnerId, created["created_by"]!.GetValue<Guid>());
        var createdAt = created["created_at"]!.GetValue<DateTime>();
        Assert.Equal(TimeSpan.FromDays(7), created["expires_at"]!.GetValue<DateTime>() - createdAt);
        var url = created["url"]!.GetValue<string>();
        Assert.StartsWith("http://localhost/invitations/", url);
        var token = url["http://localhost/invitations/".Length..];
        Assert.True(token.Length >= 43, "a 32-byte random token");

        var list = await (await Owner().GetAsync(Url(Acme, "/invitations"))).AssertStatusAsync(HttpStatusCode.OK);
        var pending = Assert.Single(list.AsArray());
        Assert.Equal(created["id"]!.GetValue<Guid>(), pending!["id"]!.GetValue<Guid>());
        Assert.Null(pending["url"]);
        Assert.DoesNotContain(token, pending.ToJsonString());

        await using var scope = Portal.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Invitations.SingleAsync(i => i.TeamId == Acme.TeamId);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), stored.TokenHash);
    }

    [Theory]
    [InlineData("not-an-email", "viewer", "email")]
    [InlineData("", "viewer", "email")]
    [InlineData("someone@example.com", "superuser", "role")]
    [InlineData("someone@example.com", "", "role")]
    public async Task Create_BadEmailOrRole_Is400NamingTheField(string email, string role, string field) =>
        await (await InviteAsync(email, role)).AssertValidationErrorAsync(field);

    [Theory]
    [InlineData(TeamRole.Admin, "operator", HttpStatusCode.Created)]
    [InlineData(TeamRole.Admin, "viewer", HttpStatusCode.Created)]
    [InlineData(TeamRole.Admin, "admin", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Admin, "owner", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Operator, "viewer", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Viewer, "viewer", HttpStatusCode.Forbidden)]
    public async Task Create_OwnerInvitesAnyRole_AdminOnlyBelowAdmin_OthersForbidden(TeamRole inviter, string role, HttpStatusCode expected)
    {
        var client = Portal.CreateClient((await Portal.AddMemberAsync(Acme, inviter)).Key);
        var response = await InviteAsync($"x-{Guid.NewGuid():N}@example.com", role, client);
        if (expected == HttpStatusCode.Forbidden)
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        }
        else
        {
            await response.AssertStatusAsync(expected);
        }
    }

    [Theory]
    [InlineData(TeamRole.Operator)]
    [InlineData(TeamRole.Viewer)]
    public async Task ListAndRevoke_BelowAdmin_Forbidden(TeamRole role)
    {
        var id = (await (await InviteAsync("a@example.com", "viewer")).AssertStatusAsync(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var client = Portal.CreateClient((await Portal.AddMemberAsync(Acme, role)).Key);
        await (await client.GetAsync(Url(Acme, "/invitations"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        await (await client.DeleteAsync(Url(Acme, $"/invitations/{id}"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
    }

    [Fact]
    public async Task Create_ForAMember_Is409NameConflict()
    {
        var member = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        await (await InviteAsync(member.Email.ToUpperInvariant(), "admin")).AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");
    }

    [Fact]
    public async Task Create_AgainForAPendingEmail_ReplacesTheFirst()
    {
        var first = await (await InviteAsync("twice@example.com", "viewer")).AssertStatusAsync(HttpStatusCode.Created);
        var second = await (await InviteAsync("TWICE@example.com", "operator")).AssertStatusAsync(HttpStatusCode.Created);

        var pending = Assert.Single((await (await Owner().GetAsync(Url(Acme, "/invitations"))).AssertStatusAsync(HttpStatusCode.OK)).AsArray());
        Assert.Equal(second["id"]!.GetValue<Guid>(), pending!["id"]!.GetValue<Guid>());
        Assert.Equal("operator", pending["role"]!.GetValue<string>());
        await (await Owner().DeleteAsync(Url(Acme, $"/invitations/{first["id"]}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Revoke_Is204_ThenGoneFromTheList_AndAnotherTeamsOrUnknownIs404()
    {
        var id = (await (await InviteAsync("r@example.com", "viewer")).AssertStatusAsync(HttpStatusCode.Created))["id"]!.GetValue<Guid>();

        await (await Owner(Globex).DeleteAsync(Url(Globex, $"/invitations/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner().DeleteAsync(Url(Acme, $"/invitations/{Guid.NewGuid()}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner().DeleteAsync(Url(Acme, "/invitations/not-a-uuid"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/invitations/{id}"))).StatusCode);

        Assert.Empty((await (await Owner().GetAsync(Url(Acme, "/invitations"))).AssertStatusAsync(HttpStatusCode.OK)).AsArray());
        await (await Owner().DeleteAsync(Url(Acme, $"/invitations/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task CreateAndRevoke_AreAuditEvents_WithTheEmailAsTarget_AndTheRoleAsDetail()
    {
        var id = (await (await InviteAsync("audited@example.com", "viewer")).AssertStatusAsync(HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/invitations/{id}"))).StatusCode);

        await using var scope = Portal.Services.CreateAsyncScope();
        var events = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEvents
            .Where(e => e.TeamId == Acme.TeamId && e.TargetId == id).ToListAsync();
        Assert.Equal([AuditActions.InvitationCreated, AuditActions.InvitationRevoked], events.OrderBy(e => e.At).ThenBy(e => e.Action == AuditActions.InvitationRevoked).Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(("invitation", "audited@example.com", "api_key"), (e.TargetType, e.TargetName, e.ActorType)));
        Assert.Contains("\"role\":\"viewer\"", events.Single(e => e.Action == AuditActions.InvitationCreated).Details);
    }
}
