using Dataraven.Core.Common;
using Dataraven.Core.Owners;

namespace Dataraven.Portal.Api;

/// <summary>An owner of a secret or a vault connection: a team member.</summary>
public sealed record OwnerResponse(Guid Id, string? Email)
{
    public static IReadOnlyList<OwnerResponse> From(IReadOnlyList<OwnerRef> owners) => owners.Select(o => new OwnerResponse(o.Id, o.Email)).ToList();
}

/// <summary>The <c>owner_id</c> filter of the secret and vault connection lists.</summary>
public static class OwnerFilter
{
    public const string Parameter = "owner_id";

    /// <summary>Null when not given; a 400 naming <c>owner_id</c> when it is not a UUID.</summary>
    public static Result<Guid?> Parse(string? value) =>
        value is null ? (Guid?)null
        : ValidationExtensions.IsUuid(value) ? Guid.Parse(value)
        : ValidationProblem.For(Parameter, "owner_id must be a user id (a UUID).");
}
