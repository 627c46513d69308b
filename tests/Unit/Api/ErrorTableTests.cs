using System.Reflection;
using Dataraven.Core.Common;
using Dataraven.Core.Invitations;
using Dataraven.Portal.Api;

namespace Dataraven.Tests.Api;

/// <summary>Every problem the Core or the portal can produce has its code in the error table, so none becomes a 500.</summary>
public sealed class ErrorTableTests
{
    private static readonly Assembly[] Producers = [typeof(Problem).Assembly, typeof(ApiProblems).Assembly];

    public static TheoryData<string> ProblemTypes => new(Types().Select(t => t.FullName!));

    private static IEnumerable<Type> Types() =>
        Producers.SelectMany(a => a.GetTypes()).Where(t => t.IsSubclassOf(typeof(Problem)) && !t.IsAbstract);

    [Theory]
    [MemberData(nameof(ProblemTypes))]
    public void ProblemCode_IsInTheErrorTable(string typeName)
    {
        var problem = Sample(Producers.Select(a => a.GetType(typeName)).Single(t => t is not null)!);
        var error = ApiErrors.Find(problem.Code);
        Assert.True(error is not null, $"{typeName} has code '{problem.Code}', which ApiErrors lacks: it would be answered as a 500");
        Assert.Equal(error.Status, ApiProblems.StatusOf(problem));
        Assert.True(error.Status < 500 || problem.Code is "internal_error" or "provider_unreachable" or "provider_busy",
            $"{problem.Code} is a server error ({error.Status})");
    }

    [Fact]
    public void ProblemTypes_AreFoundByReflection_IncludingTheInvitationsOwn()
    {
        var types = Types().ToList();
        Assert.Contains(typeof(InvitationClosedProblem), types);
        Assert.Contains(typeof(NotFoundProblem), types);
        Assert.Contains(typeof(InternalProblem), types);
    }

    [Fact]
    public void ErrorTable_HasEachCodeOnce_AndTheContractsClosedLinksAs410()
    {
        Assert.Equal(ApiErrors.All.Count, ApiErrors.All.Select(e => e.Code).Distinct().Count());
        Assert.Equal(410, ApiErrors.Find("invitation_closed")?.Status);
        Assert.Equal(410, ApiErrors.Find("request_closed")?.Status);
    }

    /// <summary>An instance made with plain arguments: the code is fixed by the type, whatever they are.</summary>
    private static Problem Sample(Type type)
    {
        var constructor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
        return (Problem)constructor.Invoke(constructor.GetParameters().Select(p => SampleOf(p.ParameterType)).ToArray());
    }

    private static object? SampleOf(Type type)
    {
        if (type == typeof(string))
        {
            return "sample";
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic &&
            (generic == typeof(IReadOnlyList<>) || generic == typeof(IEnumerable<>) || generic == typeof(IReadOnlyCollection<>)))
        {
            return Array.CreateInstance(type.GetGenericArguments()[0], 0);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            return Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()));
        }
        return type.IsValueType ? Activator.CreateInstance(type) : throw new InvalidOperationException($"No sample for {type}: add one here.");
    }
}
