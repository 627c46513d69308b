using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Dataraven.Core.VaultConnections;
using Microsoft.Extensions.Time.Testing;

namespace Dataraven.Tests.Unit.Lifecycle;

/// <summary>credentials_expire_at, the expired status and the list filter on a fake clock: the one computation everything uses.</summary>
public sealed class CredentialExpiryTests
{
    private static readonly DateTime Updated = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(Updated));

    private DateTime Now => Clock.UtcNow(_clock);

    private static Secret SecretWith(int? days, DateTime? ownExpiry, CheckStatus status = CheckStatus.Ok) => new()
    {
        Name = "s", NameNormalized = "s", SecretType = "s3", AuthMethod = "s3_access_key",
        CredentialsUpdatedAt = Updated, CredentialExpirationDays = days,
        Health = new SecretHealth { Status = status, ExpiresAt = ownExpiry },
    };

    private static VaultConnection ConnectionWith(int? days, VaultConnectionStatus status = VaultConnectionStatus.Verified) => new()
    {
        Name = "c", NameNormalized = "c", Status = status, CredentialsUpdatedAt = Updated, CredentialExpirationDays = days,
    };

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(30, null, 30.0)]
    [InlineData(null, 12.5, 12.5)]
    [InlineData(30, 12.5, 12.5)]
    [InlineData(10, 12.5, 10.0)]
    [InlineData(3650, 4000.0, 3650.0)]
    public void ExpireAt_IsTheEarlierOfPolicyAndOwnExpiry(int? days, double? ownInDays, double? expectedInDays)
    {
        DateTime? own = ownInDays is { } o ? Updated.AddDays(o) : null;
        DateTime? expected = expectedInDays is { } e ? Updated.AddDays(e) : null;
        Assert.Equal(expected, CredentialExpiry.ExpireAt(Updated, days, own));
        Assert.Equal(expected, CredentialExpiry.Of(SecretWith(days, own)));
    }

    [Fact]
    public void Connection_OnlyThePolicyApplies_AndPastIt_StatusIsExpired_WhateverWasStored()
    {
        var connection = ConnectionWith(7, VaultConnectionStatus.Failing);
        Assert.Equal(Updated.AddDays(7), CredentialExpiry.Of(connection));
        Assert.Null(CredentialExpiry.Of(ConnectionWith(null)));

        _clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(VaultConnectionStatus.Failing, VaultConnectionStatuses.Of(connection, Now));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(VaultConnectionStatus.Expired, VaultConnectionStatuses.Of(connection, Now));
        Assert.Equal("expired", VaultConnectionStatuses.Of(connection, Now).ToWire());
        Assert.Equal(VaultConnectionStatus.Verified, VaultConnectionStatuses.Of(ConnectionWith(null), Now.AddYears(20)));
    }

    [Fact]
    public void Health_FollowsThePolicy_WarningsThenExpired_ButAWorseCheckStays()
    {
        var secret = SecretWith(40, Updated.AddDays(400));
        Assert.Equal(ExpiryWarning.None, HealthView.Of(secret, Now).Warning);

        _clock.Advance(TimeSpan.FromDays(11));
        var view = HealthView.Of(secret, Now);
        Assert.Equal(ExpiryWarning.Within30Days, view.Warning);
        Assert.False(view.NeedsAttention);
        Assert.Equal(Updated.AddDays(40), view.CredentialsExpireAt);
        Assert.Equal(Updated.AddDays(400), view.ExpiresAt); // health.expires_at stays the credential's own

        _clock.Advance(TimeSpan.FromDays(23));
        Assert.True(HealthView.Of(secret, Now).NeedsAttention);
        Assert.Equal(ExpiryWarning.Within7Days, HealthView.Of(secret, Now).Warning);

        _clock.Advance(TimeSpan.FromDays(6));
        view = HealthView.Of(secret, Now);
        Assert.Equal(CheckStatus.Expired, view.Status);
        Assert.Equal(ExpiryWarning.Expired, view.Warning);
        Assert.Equal(CheckStatus.Rejected, HealthView.Of(SecretWith(40, null, CheckStatus.Rejected), Now).Status);
    }

    [Fact]
    public void StatusChangesAt_IsTheComputedExpiry_UntilItPasses()
    {
        var secret = SecretWith(3, Updated.AddDays(9));
        Assert.Equal(Updated.AddDays(3), HealthView.StatusChangesAt(secret, Now));
        _clock.Advance(TimeSpan.FromDays(4));
        Assert.Null(HealthView.StatusChangesAt(secret, Now));
        Assert.Null(HealthView.StatusChangesAt(SecretWith(null, null), Now));
    }

    [Theory]
    [InlineData(5.0, 4, false)]
    [InlineData(5.0, 5, true)]
    [InlineData(-1.0, 0, true)]
    [InlineData(0.5, 0, false)]
    public void ExpiresWithin_IncludesTheExpired(double expiresInDays, int withinDays, bool expected) =>
        Assert.Equal(expected, CredentialExpiry.ExpiresWithin(Now.AddDays(expiresInDays), Now, withinDays));

    [Fact]
    public void ExpiresWithin_NothingWithoutAnExpiry() => Assert.False(CredentialExpiry.ExpiresWithin(null, Now, 3650));

    [Theory]
    [InlineData(null, true, null)]
    [InlineData("0", true, 0)]
    [InlineData("3650", true, 3650)]
    [InlineData("3651", false, null)]
    [InlineData("-1", false, null)]
    [InlineData("+5", false, null)]
    [InlineData("1.5", false, null)]
    [InlineData("seven", false, null)]
    [InlineData("", false, null)]
    public void WithinDays_Parses0To3650Only(string? value, bool ok, int? days)
    {
        Assert.Equal(ok, CredentialExpiry.TryParseWithinDays(value, out var parsed, out var error));
        Assert.Equal(days, parsed);
        Assert.Equal(ok, error is null);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(3650, true)]
    [InlineData(0, false)]
    [InlineData(3651, false)]
    [InlineData(-30, false)]
    public void Validators_NameTheField(int? days, bool valid)
    {
        var create = new SecretValidator().Validate(new CreateSecretRequest { CredentialExpirationDays = days });
        Assert.Equal(valid, create.Errors.All(e => e.PropertyName != "credential_expiration_days"));
        var connection = new VaultConnectionValidator().Validate(new CreateVaultConnectionRequest { CredentialExpirationDays = days });
        Assert.Equal(valid, connection.Errors.All(e => e.PropertyName != "credential_expiration_days"));
        var update = new UpdateVaultConnectionValidator().Validate(new UpdateVaultConnectionRequest { CredentialExpirationDays = days });
        Assert.Equal(valid, update.IsValid);
    }

    [Fact]
    public void PatchRequests_TellAbsentFromNull()
    {
        var options = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };
        var absent = System.Text.Json.JsonSerializer.Deserialize<UpdateSecretRequest>("""{"name":"x"}""", options)!;
        var cleared = System.Text.Json.JsonSerializer.Deserialize<UpdateSecretRequest>("""{"credential_expiration_days":null}""", options)!;
        var set = System.Text.Json.JsonSerializer.Deserialize<UpdateVaultConnectionRequest>("""{"credential_expiration_days":9}""", options)!;
        Assert.False(absent.CredentialExpirationDaysGiven);
        Assert.True(cleared.CredentialExpirationDaysGiven);
        Assert.Null(cleared.CredentialExpirationDays);
        Assert.True(set.CredentialExpirationDaysGiven);
        Assert.Equal(9, set.CredentialExpirationDays);
        Assert.False(new UpdateVaultConnectionRequest().CredentialExpirationDaysGiven);
    }
}
