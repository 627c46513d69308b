using FluentValidation;
using FluentValidation.Results;

namespace Dataraven.Core.Owners;

/// <summary>
/// The <c>owner_ids</c> rule of the create and update validators: each a UUID and, when the team's member ids are known
/// (the services pass them; the editor offers members only), one of them. Errors keyed <c>owner_ids[i]</c>.
/// </summary>
public static class OwnerRules
{
    public const string Field = "owner_ids";
    public const int MaxOwners = 100;

    public static string Item(int index) => $"{Field}[{index}]";

    public static void Check<T>(ValidationContext<T> context, IReadOnlyList<string>? ownerIds, IReadOnlySet<Guid>? memberIds)
    {
        if (ownerIds is null)
        {
            return;
        }
        if (ownerIds.Count > MaxOwners)
        {
            context.AddFailure(new ValidationFailure(Field, $"At most {MaxOwners} owners."));
            return;
        }
        for (var i = 0; i < ownerIds.Count; i++)
        {
            if (!Common.ValidationExtensions.IsUuid(ownerIds[i]))
            {
                context.AddFailure(new ValidationFailure(Item(i), "An owner must be a user id (a UUID)."));
            }
            else if (memberIds is not null && !memberIds.Contains(Guid.Parse(ownerIds[i])))
            {
                context.AddFailure(new ValidationFailure(Item(i), "An owner must be a member of the team."));
            }
        }
    }

    /// <summary>The validated ids, each once, in the order given.</summary>
    public static IReadOnlyList<Guid> Parse(IReadOnlyList<string> ownerIds) => ownerIds.Select(Guid.Parse).Distinct().ToList();
}
