using Bunit;
using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;
using Dataraven.Portal.Components.Pages.Secrets;
using Dataraven.Tests.Components.Secrets;

namespace Dataraven.Tests.Components.Checks;

/// <summary>The check result and the health badge on their own.</summary>
public sealed class CheckComponentsTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task CheckResult_ShowsEachFieldAndTheStorageService()
    {
        await using var ctx = PortalComponents.NewContext();
        var check = new SecretCheck(CheckStatus.Rejected, Now,
            [
                new FieldCheck("access_key_id", CheckStatus.Ok, 20, "1a2b3c4d"),
                new FieldCheck("secret_access_key", CheckStatus.Ok, 40, "9f8e7d6c"),
            ],
            new StorageCheck(CheckStatus.Rejected, new StorageCapabilities(List: false), "SignatureDoesNotMatch: the secret key is wrong."),
            Now.AddDays(6), CheckStatus.Rejected);

        var cut = ctx.Render<CheckResult>(p => p.Add(c => c.Check, check).Add(c => c.Now, Now));

        var rows = cut.FindAll("[data-testid='check-field']");
        Assert.Equal(["access_key_id", "secret_access_key"], rows.Select(r => r.GetAttribute("data-field")));
        Assert.All(rows, r => Assert.Equal("ok", r.GetAttribute("data-status")));
        Assert.Contains("40", rows[1].TextContent);
        Assert.Contains("9f8e7d6c", rows[1].TextContent);
        var storage = cut.Find("[data-testid='check-storage']");
        Assert.Equal("rejected", storage.GetAttribute("data-status"));
        Assert.Contains("list: no", storage.TextContent);
        Assert.Contains("read: unknown", storage.TextContent);
        Assert.Contains("SignatureDoesNotMatch", storage.TextContent);
        Assert.Contains("expires in 6 days", cut.Find("[data-testid='check-expiry']").TextContent);
        Assert.Contains("Needs attention: rejected", cut.Markup);
    }

    [Theory]
    [InlineData(CheckStatus.Ok, 60, "OK", null, false)]
    [InlineData(CheckStatus.Ok, 20, "OK", "expires in 2 weeks", false)]
    [InlineData(CheckStatus.Ok, 6, "OK", "expires in 6 days", true)]
    [InlineData(CheckStatus.Ok, -2, "Expired", "expired 2 days ago", true)]
    [InlineData(CheckStatus.Rejected, null, "Rejected", null, true)]
    [InlineData(CheckStatus.RateLimited, null, "Rate limited", null, true)]
    [InlineData(CheckStatus.Unchecked, null, "Not checked", null, false)]
    public async Task HealthBadge_StatusExpiryAndAttention(CheckStatus status, int? expiresInDays, string label, string? expiry, bool attention)
    {
        await using var ctx = PortalComponents.NewContext();
        var health = new SecretHealth { Status = status, CheckedAt = Now.AddHours(-3), ExpiresAt = expiresInDays is { } d ? Now.AddDays(d) : null };

        var cut = ctx.Render<HealthBadge>(p => p.Add(c => c.Health, HealthView.Of(health, Now, health.ExpiresAt)).Add(c => c.Now, Now));

        var badge = cut.Find("[data-testid='health-badge']");
        Assert.Contains(label, badge.TextContent);
        Assert.Contains("checked 3 hours ago", badge.TextContent);
        Assert.Equal(attention ? "true" : "false", badge.GetAttribute("data-attention"));
        if (expiry is null)
        {
            Assert.Empty(cut.FindAll("[data-testid='expiry-warning']"));
        }
        else
        {
            Assert.Equal(expiry, cut.Find("[data-testid='expiry-warning']").TextContent.Trim());
        }
    }

    [Theory]
    [InlineData(40, ExpiryWarning.None)]
    [InlineData(30, ExpiryWarning.Within30Days)]
    [InlineData(7, ExpiryWarning.Within7Days)]
    [InlineData(1, ExpiryWarning.Within1Day)]
    [InlineData(0, ExpiryWarning.Expired)]
    public void ExpiryWarnings_At30_7And1Days(int days, ExpiryWarning expected) =>
        Assert.Equal(expected, HealthView.WarningOf(Now.AddDays(days), Now));
}
