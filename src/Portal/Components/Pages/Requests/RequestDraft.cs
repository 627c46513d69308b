using Dataraven.Core.CredentialRequests;

namespace Dataraven.Portal.Components.Pages.Requests;

/// <summary>The request dialog's inputs, with the API's defaults; turned into the same body the API takes.</summary>
public sealed class RequestDraft
{
    public string? SecretType { get; set; }
    public string? AuthMethod { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Note { get; set; }
    public int ExpiresInHours { get; set; } = CredentialRequestService.DefaultExpiresInHours;
    public int MaxViews { get; set; } = CredentialRequestService.DefaultMaxViews;
    public bool RequireSignIn { get; set; }

    public CreateCredentialRequest ToBody(Guid? secretId) => secretId is { } id
        ? new CreateCredentialRequest
        {
            SecretId = id.ToString(), Note = Note, ExpiresInHours = ExpiresInHours, MaxViews = MaxViews, RequireSignIn = RequireSignIn,
        }
        : new CreateCredentialRequest
        {
            Name = Name, Description = Description, SecretType = SecretType, AuthMethod = AuthMethod, Note = Note,
            ExpiresInHours = ExpiresInHours, MaxViews = MaxViews, RequireSignIn = RequireSignIn,
        };
}
