using Dataraven.Core.Common;
using Dataraven.Core.VaultConnections.Catalog;
using FluentValidation;
using FluentValidation.Results;
using F = Dataraven.Core.VaultConnections.VaultConnectionFields;

namespace Dataraven.Core.VaultConnections;

/// <summary>Limits of the fields every connection has; the per-provider rules are in <see cref="VaultProviderCatalog"/>.</summary>
public static class VaultConnectionRules
{
    public const int NameMaxLength = 255;
    public const int DescriptionMaxLength = 2000;

    public static string? TokenPrefix(VaultType type) => VaultProviderCatalog.Get(type).TokenPrefix;

    /// <summary>Checks <paramref name="fields"/> of <paramref name="provider"/> and rejects any other provider's field that was given.</summary>
    internal static void CheckProviderFields<T>(ValidationContext<T> context, VaultProviderDefinition provider,
        IEnumerable<VaultField> fields, IEnumerable<VaultField> anyProvidersFields, Func<string, string?> valueOf)
    {
        foreach (var field in fields)
        {
            if (VaultFieldChecks.Check(provider, field, valueOf(field.WireName)) is { } message)
            {
                context.AddFailure(new ValidationFailure(field.WireName, message));
            }
        }
        foreach (var foreign in anyProvidersFields.Where(f => !provider.Has(f.WireName)))
        {
            if (valueOf(foreign.WireName) is not null)
            {
                context.AddFailure(new ValidationFailure(foreign.WireName, VaultFieldChecks.DoesNotApply(provider, foreign)));
            }
        }
    }

    internal static string OneOfVaultTypes()
    {
        var names = VaultProviderCatalog.WireNames.ToArray();
        return $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}

/// <summary>The body of <c>POST /vault-connections</c> and the wizard's form.</summary>
public sealed class VaultConnectionValidator : AbstractValidator<CreateVaultConnectionRequest>
{
    public VaultConnectionValidator(IReadOnlySet<Guid>? memberIds = null)
    {
        RuleFor(x => x.Name).RequiredText(F.Name, "Name", VaultConnectionRules.NameMaxLength);
        RuleFor(x => x.Description).OptionalText(F.Description, "Description", VaultConnectionRules.DescriptionMaxLength);

        RuleFor(x => x.VaultType).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage($"Vault type is required: choose {VaultConnectionRules.OneOfVaultTypes()}.")
            .Must(v => VaultProviderCatalog.Find(v) is not null)
            .WithMessage($"Vault type must be one of {VaultConnectionRules.OneOfVaultTypes()}.")
            .OverridePropertyName(F.VaultType);
        RuleFor(x => x.CredentialExpirationDays).ExpirationDays();

        RuleFor(x => x).Custom((request, context) =>
        {
            if (VaultProviderCatalog.Find(request.VaultType) is { } provider)
            {
                VaultConnectionRules.CheckProviderFields(context, provider, provider.Fields, VaultProviderCatalog.AllFields, request.Value);
            }
        });
        RuleFor(x => x).Custom((request, context) => Owners.OwnerRules.Check(context, request.OwnerIds, memberIds));
    }
}

/// <summary>The body of <c>PATCH /vault-connections/{id}</c>: null leaves a value unchanged.</summary>
public sealed class UpdateVaultConnectionValidator : AbstractValidator<UpdateVaultConnectionRequest>
{
    public UpdateVaultConnectionValidator(IReadOnlySet<Guid>? memberIds = null)
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(n => n is null || !string.IsNullOrWhiteSpace(n)).WithMessage("Name cannot be empty.")
            .MaximumLength(VaultConnectionRules.NameMaxLength)
            .WithMessage($"Name must be at most {VaultConnectionRules.NameMaxLength} characters.")
            .OverridePropertyName(F.Name);
        RuleFor(x => x.Description).OptionalText(F.Description, "Description", VaultConnectionRules.DescriptionMaxLength);
        RuleFor(x => x.CredentialExpirationDays).ExpirationDays();
        RuleFor(x => x).Custom((request, context) => Owners.OwnerRules.Check(context, request.OwnerIds, memberIds));
    }
}

/// <summary>The body of <c>POST /vault-connections/{id}/rotate</c>, for a connection of <paramref name="vaultType"/>.</summary>
public sealed class RotateVaultConnectionValidator : AbstractValidator<RotateVaultConnectionRequest>
{
    public RotateVaultConnectionValidator(VaultType vaultType)
    {
        VaultType = vaultType;
        var provider = VaultProviderCatalog.Get(vaultType);
        RuleFor(x => x).Custom((request, context) =>
            VaultConnectionRules.CheckProviderFields(context, provider, provider.Credentials, VaultProviderCatalog.AllCredentials, request.Value));
    }

    public VaultType VaultType { get; }
}
