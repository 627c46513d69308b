using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Teams;

public sealed class TeamServiceTests : IAsyncLifetime
{
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;
    private TeamActor _owner = null!;

    public async Task InitializeAsync()
    {
        _portal = await TestPortal.StartAsync();
        _team = await _portal.CreateTeamAsync();
        _owner = new TeamActor(_team.TeamId, _team.OwnerId, TeamRole.Owner);
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private Task<T> Teams<T>(Func<TeamService, Task<T>> f) => _portal.WithAsync(f);

    [Fact]
    public async Task LastOwner_CannotBeDemotedOrRemoved()
    {
        var demote = await Teams(t => t.ChangeRoleAsync(_owner, _team.OwnerId, TeamRole.Admin));
        Assert.IsType<ValidationProblem>(demote.Problem);
        var remove = await Teams(t => t.RemoveMemberAsync(_owner, _team.OwnerId));
        Assert.IsType<ValidationProblem>(remove.Problem);
        var members = await Teams(t => t.ListMembersAsync(_owner));
        Assert.Equal(TeamRole.Owner, Assert.Single(members).Role);
    }

    [Fact]
    public async Task SecondOwner_LetsTheFirstStepDown()
    {
        var other = await _portal.AddMemberAsync(_team, TeamRole.Owner);
        Assert.True((await Teams(t => t.ChangeRoleAsync(_owner, _team.OwnerId, TeamRole.Admin))).IsSuccess);
        var otherOwner = new TeamActor(_team.TeamId, other.UserId, TeamRole.Owner);
        Assert.IsType<ValidationProblem>((await Teams(t => t.RemoveMemberAsync(otherOwner, other.UserId))).Problem);
    }

    [Theory]
    [InlineData(TeamRole.Admin)]
    [InlineData(TeamRole.Operator)]
    [InlineData(TeamRole.Viewer)]
    public async Task NonOwners_CannotManageMembers(TeamRole role)
    {
        var member = await _portal.AddMemberAsync(_team, role);
        var actor = new TeamActor(_team.TeamId, member.UserId, role);
        var target = await _portal.AddMemberAsync(_team, TeamRole.Viewer);
        Assert.IsType<ForbiddenRoleProblem>((await Teams(t => t.ChangeRoleAsync(actor, target.UserId, TeamRole.Owner))).Problem);
        Assert.IsType<ForbiddenRoleProblem>((await Teams(t => t.RemoveMemberAsync(actor, target.UserId))).Problem);
    }

    [Fact]
    public async Task MemberOfAnotherTeam_IsNotFoundHere()
    {
        var other = await _portal.CreateTeamAsync("Other");
        var result = await Teams(t => t.RemoveMemberAsync(_owner, other.OwnerId));
        Assert.IsType<NotFoundProblem>(result.Problem);
    }
}
