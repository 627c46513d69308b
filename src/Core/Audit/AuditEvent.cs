namespace Dataraven.Core.Audit;

/// <summary>
/// One change or check of a team's objects (DESIGN.md, "Audit events"). Append-only: nothing edits or deletes a
/// row. <see cref="Details"/> holds field names and statuses, never a value.
/// </summary>
public sealed class AuditEvent
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public DateTime At { get; set; }

    /// <summary><c>user</c>, <c>api_key</c>, <c>system</c> or <c>external</c> (through a credential request's link).</summary>
    public required string ActorType { get; set; }
    public Guid? ActorId { get; set; }
    public required string ActorName { get; set; }

    /// <summary><c>ui</c>, <c>api</c>, <c>cli</c>, <c>scheduler</c> or <c>request</c>.</summary>
    public required string Via { get; set; }

    /// <summary>e.g. <c>secret.created</c>; see <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }
    public required string TargetType { get; set; }
    public Guid? TargetId { get; set; }
    public string? TargetName { get; set; }

    /// <summary><c>succeeded</c> or <c>failed</c>.</summary>
    public required string Outcome { get; set; }

    /// <summary>A JSON object of field names, statuses and error codes; never a credential.</summary>
    public string? Details { get; set; }
    public string? Ip { get; set; }
}

/// <summary>
/// What an event is about: a vault connection, a secret, an API key, a member, the team, an invitation. The id is null
/// for a refused create (nothing was made).
/// </summary>
public sealed record AuditTarget(string Type, Guid? Id, string? Name)
{
    public static AuditTarget Secret(Guid? id, string? name) => new("secret", id, name);
    public static AuditTarget VaultConnection(Guid? id, string? name) => new("vault_connection", id, name);
    public static AuditTarget ApiKey(Guid? id, string? name) => new("api_key", id, name);
    public static AuditTarget Member(Guid? userId, string? email) => new("member", userId, email);
    public static AuditTarget Team(Guid id, string? name) => new("team", id, name);
    public static AuditTarget Invitation(Guid id, string email) => new("invitation", id, email);
    public static AuditTarget CredentialRequest(Guid id, string name) => new("credential_request", id, name);
}

public enum AuditOutcome
{
    Succeeded,
    Failed,
}

/// <summary>Where a change came from.</summary>
public enum AuditVia
{
    Ui,
    Api,
    Cli,
    Scheduler,
    /// <summary>A credential request's link, used by someone outside the team.</summary>
    Request,
}
