using Dataraven.Core.Common;
using FluentValidation;

namespace Dataraven.Portal.Components.Shared;

/// <summary>
/// Bridges a Core validator (the same one the API uses) to a form: errors are keyed by the API's field
/// names (<c>access_token</c>, <c>field_mappings[1].reference</c>) and shown for fields the user has
/// touched, or for all of them after a submit. Server answers (409, 422, ...) are merged in.
/// </summary>
public sealed class FormValidation
{
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private bool _showAll;

    /// <summary>Errors that belong to no single field (a provider's answer, a conflict).</summary>
    public string? FormError { get; private set; }

    public bool IsValid => _errors.Count == 0;

    /// <summary>Validates <paramref name="model"/>; returns true when it is valid.</summary>
    public bool Validate<T>(IValidator<T> validator, T model)
    {
        var result = validator.Validate(model);
        _errors = result.IsValid ? new Dictionary<string, string[]>() : result.ToValidationProblem().Errors;
        return result.IsValid;
    }

    public void Touch(string key) => _touched.Add(key);

    /// <summary>After a submit every error shows, touched or not.</summary>
    public void ShowAll() => _showAll = true;

    public void Reset()
    {
        _touched.Clear();
        _showAll = false;
        _errors = new Dictionary<string, string[]>();
        FormError = null;
    }

    /// <summary>Shows a problem from a service: field errors by key, anything else as the form error.</summary>
    public void Apply(Problem problem)
    {
        _showAll = true;
        if (problem is ValidationProblem v)
        {
            _errors = v.Errors;
            FormError = null;
        }
        else if (problem is NameConflictProblem)
        {
            _errors = new Dictionary<string, string[]> { ["name"] = [problem.Message] };
            FormError = null;
        }
        else
        {
            FormError = problem.Message;
        }
    }

    public void ClearFormError() => FormError = null;

    /// <summary>Adds a rule the validator cannot check alone (a name already used in the team), after <see cref="Validate{T}"/>.</summary>
    public void Add(string key, string message)
    {
        var errors = new Dictionary<string, string[]>(_errors);
        errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
        _errors = errors;
    }

    public IReadOnlyList<string> For(string key) =>
        (_showAll || _touched.Contains(key)) && _errors.TryGetValue(key, out var messages) ? messages : [];

    public bool Has(string key) => For(key).Count > 0;
}
