using FluentValidation;
using FluentValidation.Results;

namespace Dataraven.Core.Common;

public static class ValidationExtensions
{
    /// <summary>
    /// Groups the failures by their key (the snake_case request field, e.g. <c>access_token</c>,
    /// <c>field_mappings[1].reference</c>), keeping the order in which the rules reported them.
    /// </summary>
    public static ValidationProblem ToValidationProblem(this ValidationResult result)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in result.Errors.GroupBy(e => e.PropertyName, StringComparer.Ordinal))
        {
            errors[group.Key] = group.Select(e => e.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray();
        }
        return new ValidationProblem(errors);
    }

    /// <summary>Non-blank and at most <paramref name="maxLength"/> characters; errors keyed <paramref name="key"/>.</summary>
    public static IRuleBuilderOptions<T, string?> RequiredText<T>(
        this IRuleBuilderInitial<T, string?> rule, string key, string label, int maxLength) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage($"{label} is required.")
            .MaximumLength(maxLength).WithMessage($"{label} must be at most {maxLength} characters.")
            .OverridePropertyName(key);

    /// <summary>May be null; if given, at most <paramref name="maxLength"/> characters.</summary>
    public static IRuleBuilderOptions<T, string?> OptionalText<T>(
        this IRuleBuilderInitial<T, string?> rule, string key, string label, int maxLength) =>
        rule.MaximumLength(maxLength).WithMessage($"{label} must be at most {maxLength} characters.")
            .OverridePropertyName(key);

    /// <summary>A UUID in its usual 8-4-4-4-12 hexadecimal form.</summary>
    public static bool IsUuid(string? value) => value is { Length: 36 } && Guid.TryParseExact(value, "D", out _);
}
