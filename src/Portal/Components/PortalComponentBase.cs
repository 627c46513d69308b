using Dataraven.Core.Common;
using Dataraven.Portal.Hosting;
using Microsoft.AspNetCore.Components;

namespace Dataraven.Portal.Components;

/// <summary>
/// Base for interactive pages. Each Core call runs in its own DI scope (its own DbContext), because a
/// circuit lives long and its events may overlap; no tracked entity outlives one action.
/// </summary>
public abstract class PortalComponentBase : ComponentBase
{
    [Inject] protected IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] protected PortalContext? Portal { get; set; }

    protected async Task<T> Use<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = Scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>The field-keyed messages of a validation problem, or the problem's message under "".</summary>
    protected static IReadOnlyDictionary<string, string[]> ErrorsOf(Problem problem) => problem is ValidationProblem v
        ? v.Errors
        : new Dictionary<string, string[]> { [""] = [problem.Message] };
}
