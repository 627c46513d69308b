using Dataraven.Core.Common;
using Dataraven.Core.Teams;

namespace Dataraven.Core.ApiKeys;

/// <summary>An API key. Only a hash of its secret part is stored; the whole key is shown once.</summary>
public sealed class ApiKey : ITeamRecord
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public required string Name { get; set; }
    public TeamRole Role { get; set; }

    /// <summary>The public part of <c>dr_&lt;key_id&gt;_&lt;secret&gt;</c>, used to find the row.</summary>
    public required string KeyId { get; set; }

    /// <summary>SHA-256 of the secret part. The secret has 256 bits of entropy, so a plain hash is enough.</summary>
    public required byte[] SecretHash { get; set; }

    public Guid CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
