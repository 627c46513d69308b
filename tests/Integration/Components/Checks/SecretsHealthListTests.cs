using Bunit;
using Dataraven.Core.Checks;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages;
using Dataraven.Portal.Components.Pages.Secrets;
using Dataraven.Portal.Hosting;
using Dataraven.Tests.Api;
using Dataraven.Tests.Components.Secrets;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Dataraven.Tests.Components.Checks;

/// <summary>Health on the secrets list and the overview, on a real portal's services.</summary>
public sealed class SecretsHealthListTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    [Fact]
    public async Task NeedsAttentionFilter_FromTheOverviewLink_ShowsFailingAndExpiringOnly()
    {
        var team = await MixedHealthTeamAsync();
        await using var ctx = PortalComponents.NewContext(Portal);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/secrets?health=needs_attention");

        var cut = Render(ctx, team, TeamRole.Owner);

        Assert.Equal(["Expiring", "Rejected key"], Names(cut));
        Assert.Equal("2 of 4", cut.Find("[data-testid='shown-count']").TextContent);
        var statuses = cut.FindAll("[data-testid='health-badge']").Select(b => b.GetAttribute("data-status"));
        Assert.Equal(["ok", "rejected"], statuses);
        Assert.Contains("expires in 3 days", cut.Find("[data-testid='expiry-warning']").TextContent);

        // MudCheckBox puts the test id on its input or on a wrapper around it, depending on the version.
        var attention = cut.Find("[data-testid='filter-attention']");
        (attention.TagName == "INPUT" ? attention : attention.QuerySelector("input")!).Change(false);

        Assert.Equal(["Expiring", "Healthy", "Never checked", "Rejected key"], Names(cut));
        Assert.EndsWith("/secrets", navigation.Uri);
    }

    [Theory]
    [InlineData(TeamRole.Viewer, false)]
    [InlineData(TeamRole.Operator, true)]
    [InlineData(TeamRole.Admin, true)]
    public async Task CheckButton_OperatorsAndAbove_ViewersSeeHealthOnly(TeamRole role, bool canCheck)
    {
        var team = await MixedHealthTeamAsync();
        await using var ctx = PortalComponents.NewContext(Portal);

        var cut = Render(ctx, team, role);

        Assert.Equal(4, cut.FindAll("[data-testid='health-badge']").Count);
        Assert.Equal(canCheck ? 4 : 0, cut.FindAll("[data-testid='check-secret']").Count);
    }

    [Fact]
    public async Task Overview_SaysHowManySecretsNeedAttention_LinkingToTheFilteredList()
    {
        var team = await MixedHealthTeamAsync();
        await using var ctx = PortalComponents.NewContext(Portal);

        var cut = ctx.Render<AttentionNotice>(p => p.Add(c => c.TeamId, team.TeamId));

        cut.WaitForAssertion(() => Assert.Contains("2 secrets need attention", cut.Find("[data-testid='attention-notice']").TextContent));
        Assert.Equal("/secrets?health=needs_attention", cut.Find("[data-testid='attention-link']").GetAttribute("href"));
    }

    [Fact]
    public async Task Overview_NothingToSay_WhenAllIsWell()
    {
        var team = await Portal.CreateTeamAsync("Calm", "pro");
        await CreateAsync(team, "Healthy", CheckStatus.Ok, null);
        await using var ctx = PortalComponents.NewContext(Portal);

        var cut = ctx.Render<AttentionNotice>(p => p.Add(c => c.TeamId, team.TeamId));

        Assert.Empty(cut.FindAll("[data-testid='attention-notice']"));
    }

    private async Task<TeamFixture> MixedHealthTeamAsync()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await CreateAsync(team, "Healthy", CheckStatus.Ok, null);
        await CreateAsync(team, "Rejected key", CheckStatus.Rejected, null);
        await CreateAsync(team, "Expiring", CheckStatus.Ok, DateTime.UtcNow.AddDays(3).AddHours(1));
        await CreateAsync(team, "Never checked", null, null);
        return team;
    }

    /// <summary>A direct secret with the health a check would have left (the checker itself is tested against real servers).</summary>
    private async Task CreateAsync(TeamFixture team, string name, CheckStatus? status, DateTime? expiresAt)
    {
        var owner = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner);
        var created = await Portal.WithAsync<SecretService, Result<SecretDetails>>(s => s.CreateAsync(owner, new CreateSecretRequest
        {
            Name = name, SecretType = "s3", AuthMethod = "s3_access_key",
            Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret-" + name },
        }));
        if (status is null)
        {
            return;
        }
        await Portal.WithAsync<PortalDbContext, int>(async db =>
        {
            var secret = await db.Secrets.SingleAsync(s => s.Id == created.Value!.Secret.Id);
            secret.Health.Record(new SecretCheck(status.Value, DateTime.UtcNow.AddMinutes(-5), [], StorageCheck.NotChecked("test"), expiresAt,
                status == CheckStatus.Ok ? null : status));
            return await db.SaveChangesAsync();
        });
    }

    private static IRenderedComponent<SecretList> Render(BunitContext ctx, TeamFixture team, TeamRole role)
    {
        ctx.Render<MudPopoverProvider>();
        var membership = new Membership(team.TeamId, "Acme", "pro", role);
        var cut = ctx.Render<SecretList>(p => p.AddCascadingValue(new PortalContext(team.OwnerId, team.OwnerEmail, [membership], membership)));
        cut.WaitForElement("[data-testid='secrets-grid']");
        return cut;
    }

    private static string[] Names(IRenderedComponent<SecretList> cut) =>
        cut.FindAll("[data-testid='secrets-grid'] tbody .name").Select(e => e.TextContent).ToArray();
}
