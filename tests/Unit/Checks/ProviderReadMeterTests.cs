using Dataraven.Core.Checks;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultConnections.Catalog;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dataraven.Tests.Unit.Checks;

public sealed class ProviderReadMeterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 10, 15, 0, TimeSpan.Zero));

    private ProviderReadMeter Meter(int perHour) =>
        new(Options.Create(new ChecksOptions { OnePasswordReadsPerHour = perHour }), _clock);

    public static TheoryData<VaultType> Types => new(VaultTypes.All);

    [Theory]
    [MemberData(nameof(Types))]
    public void TryTake_FollowsTheBudgetTheCatalogDeclares(VaultType type)
    {
        var meter = Meter(perHour: 3);
        var connection = Guid.NewGuid();
        var rationed = VaultProviderCatalog.Get(type).ReadBudget is not null;

        Assert.Equal(rationed ? 3 : null, meter.BudgetPerHour(type));
        Assert.True(meter.TryTake(type, connection, 2));
        Assert.Equal(!rationed, meter.TryTake(type, connection, 2));
        Assert.Equal(rationed ? 2 : 0, meter.ReadsThisHour(connection));
    }

    [Fact]
    public void OnePassword_IsRationedByChecksOptions_AndTheBudgetRenewsEachHour()
    {
        var meter = Meter(perHour: 2);
        var connection = Guid.NewGuid();

        Assert.True(meter.TryTake(VaultType.OnePassword, connection, 2));
        Assert.False(meter.TryTake(VaultType.OnePassword, connection, 1));
        _clock.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(0, meter.ReadsThisHour(connection));
        Assert.True(meter.TryTake(VaultType.OnePassword, connection, 1));
    }
}
