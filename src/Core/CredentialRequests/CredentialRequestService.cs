using System.Security.Cryptography;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.CredentialRequests;

/// <summary>The body of <c>POST /credential-requests</c>: either <see cref="SecretId"/> or the new secret's name, type and auth method.</summary>
public sealed class CreateCredentialRequest
{
    public string? SecretId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? SecretType { get; set; }
    public string? AuthMethod { get; set; }
    public string? Note { get; set; }
    public int? ExpiresInHours { get; set; }
    public int? MaxViews { get; set; }
    public bool? RequireSignIn { get; set; }
}

public sealed record CredentialRequestView(CredentialRequest Request, CredentialRequestStatus Status);

/// <summary>The only place the token exists: the answer to the request's creation.</summary>
public sealed record CredentialRequestCreated(CredentialRequestView View, string Token);

/// <summary>What the recipient sees: never more of the team than this.</summary>
public sealed record CredentialRequestOpened(string TeamName, string RequestedBy, string? Note, string SecretType, string AuthMethod,
    IReadOnlyList<string> Fields, DateTime ExpiresAt, bool RequireSignIn);

public sealed record CredentialRequestFulfilled(Guid SecretId);

/// <summary>A link that can no longer be used: expired, fulfilled, revoked, or viewed too often.</summary>
public sealed record RequestClosedProblem(CredentialRequestStatus Status) : Problem("request_closed", CredentialRequestService.ClosedMessage(Status));

/// <summary>A link that asks for a signed-in member of the team, opened by someone who is not one.</summary>
public sealed record SignInRequiredProblem()
    : Problem("unauthenticated", "This link is for signed-in members of the team. Sign in to the portal and open it again.");

/// <summary>Who opens a link: their address, and the signed-in user if any (for links that require sign-in).</summary>
public sealed record LinkVisitor(string? Ip, Guid? UserId);

/// <summary>
/// Credential requests (DESIGN.md, "Credential requests: a hand-off link"): Owners and Admins ask for a direct secret's
/// credential by link; the holder submits it once, through <see cref="SecretService"/>'s own validation and write.
/// </summary>
public sealed class CredentialRequestService(PortalDbContext db, AuditTrail audit, TeamAccess access, TierLimits limits,
    SecretService secrets, TimeProvider time, Notifications.INotificationEvents notifications)
{
    public const int NoteMaxLength = 2000;
    public const int DefaultExpiresInHours = 72;
    public const int MaxExpiresInHours = 720;
    public const int DefaultMaxViews = 10;
    public const int MaxMaxViews = 100;

    private static readonly TeamRecordKind<CredentialRequest> RequestRecord = new("credential request", r => AuditTarget.CredentialRequest(r.Id, r.Name));

    public async Task<Result<CredentialRequestCreated>> CreateAsync(TeamActor actor, CreateCredentialRequest body, CancellationToken ct = default)
    {
        if (await access.CheckAsync(actor, TeamOperations.CreateCredentialRequest, new AuditTarget("credential_request", null, body.Name?.Trim()), ct)
            is { } forbidden)
        {
            return forbidden;
        }
        var errors = new Dictionary<string, string[]>();
        if (body.Note is { Length: > NoteMaxLength })
        {
            errors["note"] = [$"Note must be at most {NoteMaxLength} characters."];
        }
        if (body.ExpiresInHours is < 1 or > MaxExpiresInHours)
        {
            errors["expires_in_hours"] = [$"Must be between 1 and {MaxExpiresInHours} hours."];
        }
        if (body.MaxViews is < 1 or > MaxMaxViews)
        {
            errors["max_views"] = [$"Must be between 1 and {MaxMaxViews}."];
        }
        Secret? existing = null;
        if (body.SecretId is not null)
        {
            if (!Guid.TryParse(body.SecretId, out var secretId))
            {
                errors["secret_id"] = ["Must be the id of a direct secret of this team."];
            }
            else
            {
                existing = await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == secretId && s.TeamId == actor.TeamId, ct);
                if (existing is null)
                {
                    return new NotFoundProblem("secret");
                }
                if (!existing.IsDirect)
                {
                    errors["secret_id"] = ["Only a direct secret's credentials can be requested; this secret reads them from a vault."];
                }
            }
        }
        else
        {
            // The secret create's own rules for name, description, type and auth method; the credentials come later.
            var validation = new SecretValidator().Validate(new CreateSecretRequest
            {
                Name = body.Name, Description = body.Description, SecretType = body.SecretType, AuthMethod = body.AuthMethod,
            });
            foreach (var error in validation.Errors.Where(e => e.PropertyName is SecretFields.Name or SecretFields.Description
                         or SecretFields.SecretType or SecretFields.AuthMethod))
            {
                errors[error.PropertyName] = errors.TryGetValue(error.PropertyName, out var had) ? [.. had, error.ErrorMessage] : [error.ErrorMessage];
            }
        }
        if (errors.Count > 0)
        {
            return new ValidationProblem(errors);
        }
        string name;
        if (existing is null)
        {
            name = body.Name!.Trim();
            var status = await limits.CheckAsync(actor.TeamId, LimitedResource.Secrets, ct);
            if (!status.CanCreateOne)
            {
                return await audit.RefusedAsync(actor, AuditActions.CredentialRequestCreated, new AuditTarget("credential_request", null, name),
                    status.ToProblem(), ct);
            }
            if (await db.Secrets.NameTakenAsync(actor.TeamId, name, null, ct))
            {
                return new NameConflictProblem(name);
            }
        }
        else
        {
            name = existing.Name;
        }
        var now = Clock.UtcNow(time);
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var request = new CredentialRequest
        {
            Id = Guid.NewGuid(),
            TeamId = actor.TeamId,
            TokenHash = ShownOnceTokens.Hash(token),
            SecretId = existing?.Id,
            ForExistingSecret = existing is not null,
            Name = name,
            Description = existing is null ? Names.Description(body.Description) : null,
            SecretType = existing?.SecretType ?? body.SecretType!,
            AuthMethod = existing?.AuthMethod ?? SecretCatalog.FindAuthMethod(body.SecretType, body.AuthMethod)!.Id,
            Note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim(),
            MaxViews = body.MaxViews ?? DefaultMaxViews,
            RequireSignIn = body.RequireSignIn ?? false,
            ExpiresAt = now.AddHours(body.ExpiresInHours ?? DefaultExpiresInHours),
            CreatedAt = now,
            CreatedBy = actor.UserId,
        };
        db.CredentialRequests.Add(request);
        audit.Add(actor, AuditActions.CredentialRequestCreated, AuditTarget.CredentialRequest(request.Id, name), details: new
        {
            secret_type = request.SecretType,
            auth_method = request.AuthMethod,
            secret_id = request.SecretId,
            max_views = request.MaxViews,
            expires_at = request.ExpiresAt,
            require_sign_in = request.RequireSignIn,
        });
        await db.SaveChangesOrConflictAsync(new WriteConflicts(new NotFoundProblem("team")), ct);
        return new CredentialRequestCreated(new CredentialRequestView(request, request.StatusAt(now)), token);
    }

    public async Task<Result<IReadOnlyList<CredentialRequestView>>> ListAsync(TeamActor actor, CancellationToken ct = default)
    {
        if (TeamOperations.ListCredentialRequests.RefusalFor(actor) is { } forbidden)
        {
            return forbidden;
        }
        var now = Clock.UtcNow(time);
        var requests = await db.CredentialRequests.AsNoTracking().Where(r => r.TeamId == actor.TeamId).ToListAsync(ct);
        return requests.OrderByDescending(r => r.CreatedAt).Select(r => new CredentialRequestView(r, r.StatusAt(now))).ToList();
    }

    public async Task<Result<CredentialRequestView>> GetAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var request = await db.CredentialRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.TeamId == actor.TeamId, ct);
        if (request is null)
        {
            return new NotFoundProblem("credential request");
        }
        if (TeamOperations.ListCredentialRequests.RefusalFor(actor) is { } forbidden)
        {
            return forbidden;
        }
        return new CredentialRequestView(request, request.StatusAt(Clock.UtcNow(time)));
    }

    /// <summary>Closes the link. Revoking a link that is closed already changes nothing (a fulfilled one keeps its status).</summary>
    public async Task<Result<Done>> RevokeAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, RequestRecord, id, TeamOperations.RevokeCredentialRequest, ct);
        if (found.Problem is { } problem)
        {
            return problem;
        }
        var request = found.Value!;
        if (request.StatusAt(Clock.UtcNow(time)) is not CredentialRequestStatus.Pending)
        {
            db.Entry(request).State = EntityState.Detached;
            return Done.Instance;
        }
        request.RevokedAt = Clock.UtcNow(time);
        audit.Add(actor, AuditActions.CredentialRequestRevoked, AuditTarget.CredentialRequest(request.Id, request.Name));
        // A concurrent fulfilment won: the link is closed either way.
        await db.SaveChangesOrConflictAsync(new WriteConflicts(new NotFoundProblem("credential request")), ct);
        return Done.Instance;
    }

    /// <summary>
    /// Opens the link: counts the view first, atomically, so a link allows exactly <c>max_views</c> views; the view past
    /// them closes it (exhausted).
    /// </summary>
    public async Task<Result<CredentialRequestOpened>> OpenAsync(string? token, LinkVisitor visitor, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is not { } request)
        {
            return new NotFoundProblem("credential request");
        }
        if (await SignInProblemAsync(request, visitor, ct) is { } signIn)
        {
            return signIn;
        }
        var now = Clock.UtcNow(time);
        var counted = await db.CredentialRequests
            .Where(r => r.Id == request.Id && r.FulfilledAt == null && r.RevokedAt == null && r.ExhaustedAt == null
                        && r.ExpiresAt > now && r.Views < r.MaxViews)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Views, r => r.Views + 1), ct);
        if (counted == 0)
        {
            await db.CredentialRequests
                .Where(r => r.Id == request.Id && r.FulfilledAt == null && r.RevokedAt == null && r.ExhaustedAt == null
                            && r.ExpiresAt > now && r.Views >= r.MaxViews)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.ExhaustedAt, now), ct);
            await db.Entry(request).ReloadAsync(ct);
            return new RequestClosedProblem(request.StatusAt(now));
        }
        await db.Entry(request).ReloadAsync(ct);
        audit.Add(External(request, visitor), AuditActions.CredentialRequestViewed, AuditTarget.CredentialRequest(request.Id, request.Name),
            details: new { views = request.Views, max_views = request.MaxViews });
        await db.SaveChangesAsync(ct);
        return await DescribeAsync(request, ct);
    }

    /// <summary>
    /// What <see cref="OpenAsync"/> shows, without counting a view: for the page that answers a submit it refused
    /// (a field to correct), so that a typo does not use up a link's views. Closed and unknown links answer as there.
    /// </summary>
    public async Task<Result<CredentialRequestOpened>> ReshowAsync(string? token, LinkVisitor visitor, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is not { } request)
        {
            return new NotFoundProblem("credential request");
        }
        if (await SignInProblemAsync(request, visitor, ct) is { } signIn)
        {
            return signIn;
        }
        if (request.StatusAt(Clock.UtcNow(time)) is var status and not CredentialRequestStatus.Pending)
        {
            return new RequestClosedProblem(status);
        }
        return await DescribeAsync(request, ct);
    }

    private async Task<CredentialRequestOpened> DescribeAsync(CredentialRequest request, CancellationToken ct)
    {
        var teamName = await db.Teams.Where(t => t.Id == request.TeamId).Select(t => t.Name).SingleAsync(ct);
        var requestedBy = await db.Users.Where(u => u.Id == request.CreatedBy).Select(u => u.Email).SingleOrDefaultAsync(ct) ?? "";
        var fields = SecretCatalog.FindAuthMethod(request.SecretType, request.AuthMethod)?.FieldNames.ToList() ?? [];
        return new CredentialRequestOpened(teamName, requestedBy, request.Note, request.SecretType, request.AuthMethod, fields,
            request.ExpiresAt, request.RequireSignIn);
    }

    /// <summary>
    /// Stores the credential write-only, as a secret create (new secret) or a credentials PATCH (existing one) does, and
    /// closes the link in the same transaction. Of concurrent submits one wins; the others find the link closed (410).
    /// </summary>
    public async Task<Result<CredentialRequestFulfilled>> FulfilAsync(string? token, Dictionary<string, string>? credentials, LinkVisitor visitor,
        CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is not { } request)
        {
            return new NotFoundProblem("credential request");
        }
        if (await SignInProblemAsync(request, visitor, ct) is { } signIn)
        {
            return signIn;
        }
        var now = Clock.UtcNow(time);
        if (request.StatusAt(now) is var status and not CredentialRequestStatus.Pending)
        {
            return new RequestClosedProblem(status);
        }
        var actor = External(request, visitor);
        var claim = new SecretWriteClaim(c => StillPendingAsync(request.Id, now, c), new RequestClosedProblem(CredentialRequestStatus.Fulfilled),
            secretId =>
            {
                request.FulfilledAt = now;
                request.SecretId = secretId;
                audit.Add(actor, AuditActions.CredentialRequestFulfilled, AuditTarget.CredentialRequest(request.Id, request.Name),
                    details: new { secret_id = secretId, credential_fields = SecretCatalog.FindAuthMethod(request.SecretType, request.AuthMethod)?.FieldNames });
                notifications.Raise(request.TeamId, Notifications.NotificationEventTypes.CredentialRequestFulfilled,
                    new Notifications.NotificationTarget("credential_request", request.Id, request.Name), "fulfilled",
                    message: $"The credential requested for {request.Name} was submitted.");
            });
        var written = request.ForExistingSecret
            ? await secrets.ReplaceCredentialsAsync(actor, request.SecretId!.Value, credentials, claim, ct)
            : await secrets.CreatePermittedAsync(actor, new CreateSecretRequest
            {
                Name = request.Name, Description = request.Description, SecretType = request.SecretType, AuthMethod = request.AuthMethod,
                Credentials = credentials ?? [],
            }, claim, ct);
        if (!written.IsSuccess)
        {
            db.ChangeTracker.Clear();
            return written.Problem!;
        }
        return new CredentialRequestFulfilled(written.Value!.Secret.Id);
    }

    private async Task<Problem?> StillPendingAsync(Guid id, DateTime now, CancellationToken ct)
    {
        var current = await db.CredentialRequests.AsNoTracking().SingleAsync(r => r.Id == id, ct);
        return current.StatusAt(now) is var status and not CredentialRequestStatus.Pending ? new RequestClosedProblem(status) : null;
    }

    private async Task<Problem?> SignInProblemAsync(CredentialRequest request, LinkVisitor visitor, CancellationToken ct) =>
        !request.RequireSignIn || (visitor.UserId is { } userId
                                   && await db.TeamMembers.AnyAsync(m => m.TeamId == request.TeamId && m.UserId == userId, ct))
            ? null
            : new SignInRequiredProblem();

    private async Task<CredentialRequest?> FindAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }
        var hash = ShownOnceTokens.Hash(token);
        return await db.CredentialRequests.SingleOrDefaultAsync(r => r.TokenHash == hash, ct);
    }

    /// <summary>The holder of the link, acting with the request's grant (its creator's id is what the secret records as its author).</summary>
    private static TeamActor External(CredentialRequest request, LinkVisitor visitor) =>
        new(request.TeamId, request.CreatedBy, TeamRole.Admin)
        {
            IsExternal = true, ActorName = visitor.Ip ?? "unknown address", Via = AuditVia.Request, Ip = visitor.Ip,
        };

    public static string ClosedMessage(CredentialRequestStatus status) => status switch
    {
        CredentialRequestStatus.Expired => "This link has expired. Ask the person who sent it for a new one.",
        CredentialRequestStatus.Revoked => "This link was revoked. Ask the person who sent it for a new one.",
        CredentialRequestStatus.Exhausted => "This link was opened too many times and is closed. Ask the person who sent it for a new one.",
        _ => "This link has been used already. Each link works once.",
    };
}
