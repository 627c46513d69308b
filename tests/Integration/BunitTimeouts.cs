using System.Runtime.CompilerServices;

namespace Dataraven.Tests;

/// <summary>
/// bunit's WaitFor* give up after one second by default. On a 2-core machine running the browser suite beside this one
/// a render that depends on a database round trip can take longer, so every wait here allows ten seconds: a wait that
/// is satisfied returns at once, so this costs nothing when the assertion holds.
/// </summary>
internal static class BunitTimeouts
{
    [ModuleInitializer]
    internal static void Raise() => Bunit.BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
}
