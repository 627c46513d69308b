using Dataraven.Core.Secrets.Catalog;

namespace Dataraven.Portal.Components.Pages.Secrets;

/// <summary>
/// A value typed into one credential field that is recognisably another type's credential (a SAS URL in
/// an access key field, a service account JSON in an Azure field). Only fields with a shape check can
/// recognise a value: an access key looks like any other text.
/// </summary>
public sealed record CredentialSuggestion(SecretTypeDefinition Type, AuthMethod Method, CredentialField Field)
{
    public string Describe => $"{Type.DisplayName} · {Method.DisplayName}";

    public static CredentialSuggestion? For(CredentialField typedInto, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || (typedInto.Check != CredentialCheck.NonEmpty && CredentialChecks.Check(typedInto, value) is null))
        {
            return null;
        }
        return SecretCatalog.All
            .SelectMany(t => t.AuthMethods.SelectMany(m => m.Fields.Select(f => new CredentialSuggestion(t, m, f))))
            .FirstOrDefault(s => s.Field.Check != CredentialCheck.NonEmpty && s.Field.Check != typedInto.Check
                                 && CredentialChecks.Check(s.Field, value) is null);
    }
}
