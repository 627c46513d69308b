using Dataraven.Core.Common;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections;
using FluentValidation;
using FluentValidation.Results;
using S = Dataraven.Core.Secrets.SecretFields;

namespace Dataraven.Core.Secrets;

/// <summary>
/// The body of <c>POST /secrets</c> and the secret editor's form.
/// </summary>
/// <param name="connectionType">
/// The vault type of the connection named by <c>vault_connection_id</c>, looked up by the caller within
/// the team. Null when there is none (direct secret, or the id is not known yet): references are then
/// only checked for being present, not for their vault's syntax.
/// </param>
/// <param name="connectionVault">The vault a scoped 1Password connection may read (null: unscoped): every reference must point into it.</param>
public sealed class SecretValidator : AbstractValidator<CreateSecretRequest>
{
    public SecretValidator(VaultType? connectionType = null, string? connectionVault = null, IReadOnlySet<Guid>? memberIds = null)
    {
        ConnectionType = connectionType;

        RuleFor(x => x.Name).RequiredText(S.Name, "Name", SecretRules.NameMaxLength);
        RuleFor(x => x.Description).OptionalText(S.Description, "Description", SecretRules.DescriptionMaxLength);

        RuleFor(x => x.SecretType).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Secret type is required.")
            .Must(t => SecretCatalog.Find(t) is not null)
            .WithMessage($"Secret type must be one of {string.Join(", ", SecretCatalog.All.Select(t => t.Id))}.")
            .OverridePropertyName(S.SecretType);

        RuleFor(x => x.AuthMethod).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Auth method is required.")
            .Must((x, m) => SecretCatalog.FindAuthMethod(x.SecretType, m) is not null)
            .When(x => SecretCatalog.Find(x.SecretType) is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage(x => SecretRules.AuthMethodChoices(SecretCatalog.Find(x.SecretType)!))
            .OverridePropertyName(S.AuthMethod);
        RuleFor(x => x.CredentialExpirationDays).ExpirationDays();

        RuleFor(x => x).Custom((request, context) => SecretRules.CheckSource(request, connectionType, context, connectionVault));
        RuleFor(x => x).Custom((request, context) => Owners.OwnerRules.Check(context, request.OwnerIds, memberIds));
    }

    public VaultType? ConnectionType { get; }
}

/// <summary>
/// The body of <c>PATCH /secrets/{id}</c>, validated against the <paramref name="existing"/> secret.
/// Null fields are left unchanged. <c>credentials</c> and <c>field_mappings</c>, when given, replace the
/// whole set, so they must cover every field of the auth method the secret will have.
/// </summary>
/// <param name="connectionType">The vault type of the existing secret's connection (null for a direct secret).</param>
public sealed class UpdateSecretValidator : AbstractValidator<UpdateSecretRequest>
{
    public UpdateSecretValidator(Secret existing, VaultType? connectionType = null, string? connectionVault = null,
        IReadOnlySet<Guid>? memberIds = null)
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(n => n is null || !string.IsNullOrWhiteSpace(n)).WithMessage("Name cannot be empty.")
            .MaximumLength(SecretRules.NameMaxLength)
            .WithMessage($"Name must be at most {SecretRules.NameMaxLength} characters.")
            .OverridePropertyName(S.Name);
        RuleFor(x => x.Description).OptionalText(S.Description, "Description", SecretRules.DescriptionMaxLength);

        var type = SecretCatalog.Find(existing.SecretType);
        RuleFor(x => x.AuthMethod)
            .Must(m => m is null || type?.FindAuthMethod(m) is not null)
            .WithMessage(type is null ? "Auth method cannot be changed: the secret type is not known." : SecretRules.AuthMethodChoices(type))
            .OverridePropertyName(S.AuthMethod);
        RuleFor(x => x.CredentialExpirationDays).ExpirationDays();

        RuleFor(x => x).Custom((request, context) => SecretRules.CheckUpdate(existing, request, connectionType, context, connectionVault));
        RuleFor(x => x).Custom((request, context) => Owners.OwnerRules.Check(context, request.OwnerIds, memberIds));
    }
}

/// <summary>Shape rules shared by the create and update validators.</summary>
public static class SecretRules
{
    public const int NameMaxLength = 255;
    public const int DescriptionMaxLength = 2000;

    internal static string AuthMethodChoices(SecretTypeDefinition type) =>
        $"Auth method must be one of {string.Join(", ", type.AuthMethods.Select(m => m.Id))} for {type.DisplayName}.";

    internal static void CheckSource<T>(CreateSecretRequest r, VaultType? connectionType, ValidationContext<T> context, string? connectionVault = null)
    {
        var hasCredentials = r.Credentials is not null;
        var hasVault = r.VaultConnectionId is not null || r.FieldMappings is not null;
        if (hasCredentials && hasVault)
        {
            Fail(context, S.Credentials,
                "Give either credentials or a vault connection with field mappings, not both.");
            return;
        }
        if (!hasCredentials && !hasVault)
        {
            Fail(context, S.Credentials,
                "Give either credentials to store, or a vault connection with field mappings to read them from.");
            return;
        }

        var method = SecretCatalog.FindAuthMethod(r.SecretType, r.AuthMethod);
        if (hasCredentials)
        {
            if (method is not null) CheckCredentials(method, r.Credentials!, context);
            return;
        }

        if (string.IsNullOrWhiteSpace(r.VaultConnectionId))
        {
            Fail(context, S.VaultConnectionId, "Vault connection is required: choose the vault the references point to.");
        }
        else if (!ValidationExtensions.IsUuid(r.VaultConnectionId))
        {
            Fail(context, S.VaultConnectionId, "Vault connection ID must be a UUID.");
        }

        if (r.FieldMappings is null)
        {
            Fail(context, S.FieldMappings, "Field mappings are required: map each credential field to a reference in the vault.");
        }
        else if (method is not null)
        {
            CheckMappings(method, r.FieldMappings, connectionType, context, connectionVault);
        }
    }

    internal static void CheckUpdate<T>(Secret existing, UpdateSecretRequest r, VaultType? connectionType, ValidationContext<T> context,
        string? connectionVault = null)
    {
        var method = SecretCatalog.FindAuthMethod(existing.SecretType, r.AuthMethod ?? existing.AuthMethod);
        var methodChanged = r.AuthMethod is not null && r.AuthMethod != existing.AuthMethod;

        if (existing.IsDirect)
        {
            if (r.FieldMappings is not null)
            {
                Fail(context, S.FieldMappings,
                    "Field mappings apply only to vault secrets; this secret stores its credentials directly.");
            }
            if (r.Credentials is not null)
            {
                if (method is not null) CheckCredentials(method, r.Credentials, context);
            }
            else if (methodChanged && method is not null)
            {
                Fail(context, S.Credentials,
                    $"Changing the auth method to {method.DisplayName} needs new credentials: {Labels(method)}.");
            }
        }
        else
        {
            if (r.Credentials is not null)
            {
                Fail(context, S.Credentials,
                    "Credentials apply only to direct secrets; this secret reads them from a vault, so change its field mappings instead.");
            }
            if (r.FieldMappings is not null)
            {
                if (method is not null) CheckMappings(method, r.FieldMappings, connectionType, context, connectionVault);
            }
            else if (methodChanged && method is not null)
            {
                Fail(context, S.FieldMappings,
                    $"Changing the auth method to {method.DisplayName} needs new field mappings for: {Labels(method)}.");
            }
        }
    }

    /// <summary>Exactly the auth method's fields, each passing its check. Keys: <c>credentials.&lt;field&gt;</c>.</summary>
    internal static void CheckCredentials<T>(AuthMethod method, IReadOnlyDictionary<string, string> credentials, ValidationContext<T> context)
    {
        foreach (var field in method.Fields)
        {
            credentials.TryGetValue(field.Name, out var value);
            if (CredentialChecks.Check(field, value) is { } error)
            {
                Fail(context, S.Credential(field.Name), error);
            }
        }
        foreach (var extra in credentials.Keys.Where(k => method.FindField(k) is null))
        {
            Fail(context, S.Credential(extra),
                $"\"{extra}\" is not a field of {method.DisplayName}, which takes {Names(method)}.");
        }
    }

    /// <summary>
    /// Each field of the auth method mapped exactly once to a reference valid for the vault. Keys:
    /// <c>field_mappings[i].field_name</c>, <c>field_mappings[i].reference</c>, and <c>field_mappings</c> for a field left unmapped.
    /// </summary>
    internal static void CheckMappings<T>(
        AuthMethod method, IReadOnlyList<FieldMappingRequest?> mappings, VaultType? vaultType, ValidationContext<T> context,
        string? connectionVault = null)
    {
        var mappedAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < mappings.Count; i++)
        {
            var mapping = mappings[i];
            if (mapping is null)
            {
                Fail(context, S.Mapping(i), "This mapping is empty: give a field_name and a reference.");
                continue;
            }

            var name = mapping.FieldName;
            if (string.IsNullOrWhiteSpace(name))
            {
                Fail(context, S.MappingFieldName(i), "Field name is required.");
            }
            else if (method.FindField(name) is null)
            {
                Fail(context, S.MappingFieldName(i),
                    $"\"{name}\" is not a field of {method.DisplayName}, which takes {Names(method)}.");
            }
            else if (mappedAt.TryGetValue(name, out var first))
            {
                Fail(context, S.MappingFieldName(i),
                    $"{name} is already mapped by {S.Mapping(first)}; map each field once.");
            }
            else
            {
                mappedAt[name] = i;
            }

            var reference = mapping.Reference;
            if (string.IsNullOrWhiteSpace(reference))
            {
                Fail(context, S.MappingReference(i), "Reference is required.");
            }
            else if (reference.Length > ReferenceSyntax.MaxLength)
            {
                Fail(context, S.MappingReference(i), $"Reference must be at most {ReferenceSyntax.MaxLength} characters.");
            }
            else if (vaultType is { } vt && !ReferenceSyntax.IsValid(vt, reference))
            {
                Fail(context, S.MappingReference(i),
                    $"This is not a valid {vt.DisplayName()} reference. {ReferenceSyntax.Describe(vt)}");
            }
            else if (vaultType is { } scoped && !ReferenceSyntax.InScope(scoped, connectionVault, reference))
            {
                Fail(context, S.MappingReference(i),
                    $"This connection may only read vault '{connectionVault}': the reference must start with op://{connectionVault}/.");
            }
        }

        foreach (var field in method.Fields.Where(f => !mappedAt.ContainsKey(f.Name)))
        {
            Fail(context, S.FieldMappings, $"{field.Label} ({field.Name}) is not mapped: map it to a reference in the vault.");
        }
    }

    private static string Names(AuthMethod method) => string.Join(", ", method.FieldNames);

    private static string Labels(AuthMethod method) => string.Join(", ", method.Fields.Select(f => f.Label));

    private static void Fail<T>(ValidationContext<T> context, string key, string message) =>
        context.AddFailure(new ValidationFailure(key, message));
}
