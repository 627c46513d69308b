using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dataraven.Core.Checks.Health;

public static class SecretHealthColumns
{
    public static void Configure(ComplexPropertyBuilder<SecretHealth> h)
    {
        // Rows that existed before checks start unchecked. The sentinel is no status, so inserts always send the real one.
        h.Property(x => x.Status).HasConversion<string>().HasMaxLength(32)
            .HasDefaultValue(CheckStatus.Unchecked).HasSentinel((CheckStatus)(-1));
        h.Property(x => x.ErrorClass).HasConversion<string>().HasMaxLength(32);
        h.Property(x => x.TargetBucket).HasMaxLength(255);
        h.Property(x => x.TargetEndpointUrl).HasMaxLength(2048);
        h.Property(x => x.TargetRegion).HasMaxLength(64);
    }
}
