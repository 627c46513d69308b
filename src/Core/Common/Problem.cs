namespace Dataraven.Core.Common;

/// <summary>A business outcome that is not success. Mapped to HTTP in one place (Portal) and shown as-is in the UI.</summary>
public abstract record Problem(string Code, string Message);

public sealed record ValidationProblem(IReadOnlyDictionary<string, string[]> Errors)
    : Problem("validation_failed", "One or more fields are invalid.")
{
    public static ValidationProblem For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed record NotFoundProblem(string What = "resource") : Problem("not_found", $"The {What} was not found.");

public sealed record ForbiddenRoleProblem(string Action)
    : Problem("forbidden_role", $"Your role may not {Action}.");

public sealed record TierLimitProblem(string Tier, string Resource, int Limit, int Current)
    : Problem("tier_limit_reached",
        $"The {Tier} plan allows {Limit} {Resource.Replace('_', ' ')}; this team has {Current}. Upgrade the plan to add more.");

public sealed record NameConflictProblem(string Name)
    : Problem("name_conflict", $"The name \"{Name}\" is already used in this team.");

public sealed record InUseProblem(IReadOnlyList<InUseItem> UsedBy)
    : Problem("in_use", $"Still used by {UsedBy.Count} secret(s); delete or move them first.");

/// <summary>A vault secret cannot come back from the trash while its vault connection is still there.</summary>
public sealed record ConnectionInTrashProblem(string ConnectionName)
    : Problem("vault_connection_in_trash", $"Its vault connection \"{ConnectionName}\" is in the trash; restore the connection first.");

public sealed record InUseItem(Guid Id, string Name);

public sealed record ProviderRejectedProblem(string ProviderMessage)
    : Problem("provider_rejected", ProviderMessage);

public sealed record ProviderUnreachableProblem(string ProviderMessage)
    : Problem("provider_unreachable", ProviderMessage);

public sealed record ProviderBusyProblem(string ProviderMessage, TimeSpan RetryAfter)
    : Problem("provider_busy", ProviderMessage);

/// <summary>Either a value or a <see cref="Problem"/>.</summary>
public readonly struct Result<T>
{
    private Result(T? value, Problem? problem) { Value = value; Problem = problem; }

    public T? Value { get; }
    public Problem? Problem { get; }
    public bool IsSuccess => Problem is null;

    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(Problem problem) => new(default, problem);
}

/// <summary>Success without a value.</summary>
public sealed record Done
{
    public static readonly Done Instance = new();
}
