namespace Dataraven.Core.Audit;

/// <summary>Pieces of an event's details: always names, never values.</summary>
public static class AuditDetails
{
    /// <summary>The names of the fields a change touched, in the order given.</summary>
    public static string[] Changed(params (string Field, bool Changed)[] fields) =>
        fields.Where(f => f.Changed).Select(f => f.Field).ToArray();
}
