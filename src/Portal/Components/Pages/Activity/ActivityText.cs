using System.Reflection;
using Dataraven.Core.Audit;

namespace Dataraven.Portal.Components.Pages.Activity;

/// <summary>How the Activity views name events, actors and targets, and where a target's page is.</summary>
public static class ActivityText
{
    /// <summary>Every action name, from the one list (<see cref="AuditActions"/>), for the action filter.</summary>
    public static readonly IReadOnlyList<string> Actions = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();

    private static readonly Dictionary<string, string> TypeNames = new()
    {
        ["secret"] = "Secret",
        ["vault_connection"] = "Vault connection",
        ["api_key"] = "API key",
        ["member"] = "Member",
        ["team"] = "Team",
        ["invitation"] = "Invitation",
        ["credential_request"] = "Credential request",
        ["webhook"] = "Webhook",
    };

    /// <summary>"secret.created" reads "Secret created"; "member.role_changed" reads "Member role changed".</summary>
    public static string Label(string action)
    {
        var dot = action.IndexOf('.');
        if (dot < 0)
        {
            return action;
        }
        var type = action[..dot];
        return $"{TypeNames.GetValueOrDefault(type, type.Replace('_', ' '))} {action[(dot + 1)..].Replace('_', ' ')}";
    }

    public static string Actor(AuditEvent e) => e.ActorType switch
    {
        "api_key" => $"{e.ActorName} (API key)",
        "external" => $"{e.ActorName} (outside the team, by link)",
        _ => e.ActorName,
    };

    public static string Via(AuditEvent e) => e.Via switch
    {
        "ui" => "portal",
        "api" => "API",
        "cli" => "CLI",
        "request" => "credential request link",
        _ => e.Via,
    };

    /// <summary>The page of an event's target, or null when it has none (the team, an invitation).</summary>
    public static string? Href(AuditEvent e) => (e.TargetType, e.TargetId) switch
    {
        ("secret", { } id) => $"/secrets/{id}/edit",
        ("vault_connection", { } id) => $"/vault-connections/{id}",
        ("member", _) => "/members",
        ("api_key", _) => "/api-keys",
        ("webhook", _) => "/notifications",
        _ => null,
    };

    public static string When(DateTime at) => $"{at:yyyy-MM-dd HH:mm} UTC";
}
