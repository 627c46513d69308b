using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Layout;
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
    [CascadingParameter(Name = "Layout")] protected MainLayout? Layout { get; set; }

    protected async Task<T> Use<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = Scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>
    /// Runs a change as the signed-in member, with their membership and role read from the database first: the
    /// circuit may have started before an Owner removed them or lowered their role. A removed member is refused
    /// (and the layout says so); a lowered role reaches the service, which refuses what the role may not do.
    /// </summary>
    protected Task<Result<T>> Act<TService, T>(Func<TService, TeamActor, Task<Result<T>>> action) where TService : notnull =>
        Act(Portal?.Actor, Portal?.Team?.TeamName, action);

    /// <summary>The same for components outside the page's cascade (dialogs), which are given the page's actor.</summary>
    protected async Task<Result<T>> Act<TService, T>(TeamActor? circuitActor, string? teamName, Func<TService, TeamActor, Task<Result<T>>> action)
        where TService : notnull
    {
        await using var scope = Scopes.CreateAsyncScope();
        var access = await CircuitAccess.CheckAsync(circuitActor, teamName, scope.ServiceProvider.GetRequiredService<TeamService>());
        if (access.Changed && Layout is not null)
        {
            await Layout.RevalidateAsync();
        }
        if (!access.IsSuccess)
        {
            return access.Problem!;
        }
        return await action(scope.ServiceProvider.GetRequiredService<TService>(), access.Actor!);
    }

    /// <summary>The field-keyed messages of a validation problem, or the problem's message under "".</summary>
    protected static IReadOnlyDictionary<string, string[]> ErrorsOf(Problem problem) => problem is ValidationProblem v
        ? v.Errors
        : new Dictionary<string, string[]> { [""] = [problem.Message] };
}
