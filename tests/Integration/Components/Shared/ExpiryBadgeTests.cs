using Bunit;
using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Secrets;
using Dataraven.Core.VaultConnections;
using Dataraven.Portal.Components.Pages.Secrets;
using Dataraven.Portal.Components.Pages.VaultConnections;
using Dataraven.Portal.Components.Shared;
using Dataraven.Tests.Components.Secrets;

namespace Dataraven.Tests.Components.Shared;

/// <summary>"Rotate by &lt;date&gt;" within 30 days of credentials_expire_at, "Expired" past it: alone, in a secret's health, on a connection.</summary>
public sealed class ExpiryBadgeTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(45.0, null, null)]
    [InlineData(20.0, "within30days", "Rotate by 2026-12-22")]
    [InlineData(6.0, "within7days", "Rotate by 2026-12-08")]
    [InlineData(0.5, "within1day", "Rotate by 2026-12-03")]
    [InlineData(-2.0, "expired", "Expired")]
    public async Task Badge_RotateByWithin30Days_ExpiredAfter(double? inDays, string? warning, string? chip)
    {
        await using var ctx = PortalComponents.NewContext();
        var cut = ctx.Render<ExpiryBadge>(p => p.Add(c => c.ExpiresAt, inDays is { } d ? Now.AddDays(d) : null).Add(c => c.Now, Now));

        if (warning is null)
        {
            Assert.Empty(cut.FindAll("[data-testid='expiry-badge']"));
            return;
        }
        var badge = cut.Find("[data-testid='expiry-badge']");
        Assert.Equal(warning, badge.GetAttribute("data-warning"));
        Assert.Contains(chip!, badge.TextContent);
    }

    [Fact]
    public async Task SecretHealth_ShowsThePolicyExpiry_NotOnlyTheCredentialsOwn()
    {
        await using var ctx = PortalComponents.NewContext();
        var secret = new Secret
        {
            Name = "s", NameNormalized = "s", SecretType = "s3", AuthMethod = "s3_access_key",
            CredentialsUpdatedAt = Now.AddDays(-80), CredentialExpirationDays = 90,
            Health = new SecretHealth { Status = CheckStatus.Ok, CheckedAt = Now.AddHours(-1), ExpiresAt = Now.AddDays(300) },
        };

        var cut = ctx.Render<HealthBadge>(p => p.Add(c => c.Health, HealthView.Of(secret, Now)).Add(c => c.Now, Now));
        Assert.Contains("Rotate by 2026-12-12", cut.Find("[data-testid='expiry-badge']").TextContent);
        Assert.Equal("ok", cut.Find("[data-testid='health-badge']").GetAttribute("data-status"));

        cut = ctx.Render<HealthBadge>(p => p.Add(c => c.Health, HealthView.Of(secret, Now.AddDays(11))).Add(c => c.Now, Now.AddDays(11)));
        Assert.Equal("expired", cut.Find("[data-testid='health-badge']").GetAttribute("data-status"));
        Assert.Equal("expired", cut.Find("[data-testid='expiry-badge']").GetAttribute("data-warning"));
    }

    [Fact]
    public async Task ConnectionStatus_SaysExpiredPastThePolicy_AndRotateByBefore()
    {
        await using var ctx = PortalComponents.NewContext();
        var connection = new VaultConnection
        {
            Name = "c", NameNormalized = "c", VaultType = VaultType.Doppler, Status = VaultConnectionStatus.Verified,
            LastVerifiedAt = Now.AddHours(-2), CredentialsUpdatedAt = Now.AddDays(-25), CredentialExpirationDays = 30,
        };

        var cut = ctx.Render<VaultConnectionStatusBadge>(p => p.Add(c => c.Connection, connection).Add(c => c.Now, Now));
        Assert.Equal("verified", cut.Find("[data-testid='vc-status']").GetAttribute("data-status"));
        Assert.Contains("Rotate by 2026-12-07", cut.Find("[data-testid='expiry-badge']").TextContent);

        cut = ctx.Render<VaultConnectionStatusBadge>(p => p.Add(c => c.Connection, connection).Add(c => c.Now, Now.AddDays(6)));
        var status = cut.Find("[data-testid='vc-status']");
        Assert.Equal("expired", status.GetAttribute("data-status"));
        Assert.Contains("Expired: rotate the credentials", status.TextContent);
    }
}
