namespace Dataraven.Core.Secrets.Catalog;

/// <summary>How a credential value is checked beyond being non-empty.</summary>
public enum CredentialCheck
{
    /// <summary>Any non-blank text.</summary>
    NonEmpty,

    /// <summary>An absolute https URL whose query has a <c>sig</c> parameter (an Azure SAS URL).</summary>
    HttpsUrlWithSig,

    /// <summary>A JSON object with <c>type</c> = <c>service_account</c>, <c>client_email</c> and <c>private_key</c>.</summary>
    ServiceAccountJson,
}

/// <param name="Name">Wire name, the key in <c>credentials</c> and the <c>field_name</c> of a mapping.</param>
/// <param name="Label">Form label.</param>
/// <param name="HelpText">Where to find the value in the provider's console.</param>
/// <param name="IsSecret">Masked in forms. (Every credential is write-only either way.)</param>
/// <param name="Multiline">Rendered as a text area.</param>
public sealed record CredentialField(
    string Name,
    string Label,
    string HelpText,
    bool IsSecret = true,
    bool Multiline = false,
    CredentialCheck Check = CredentialCheck.NonEmpty,
    int MaxLength = CredentialField.DefaultMaxLength)
{
    public const int DefaultMaxLength = 4096;
}

public sealed record AuthMethod(string Id, string DisplayName, IReadOnlyList<CredentialField> Fields)
{
    public CredentialField? FindField(string? name) => Fields.FirstOrDefault(f => f.Name == name);

    public IEnumerable<string> FieldNames => Fields.Select(f => f.Name);
}

/// <param name="Id">Wire name (<c>secret_type</c>).</param>
/// <param name="Icon">A Material Symbols icon name for the UI.</param>
/// <param name="ReferenceHint">Short upper-case stem used in example vault references (<c>AWS</c> -> <c>AWS_ACCESS_KEY_ID</c>).</param>
public sealed record SecretTypeDefinition(
    string Id,
    string DisplayName,
    string Icon,
    string ReferenceHint,
    IReadOnlyList<AuthMethod> AuthMethods)
{
    public AuthMethod? FindAuthMethod(string? id) => AuthMethods.FirstOrDefault(m => m.Id == id);
}
