using System.Text.RegularExpressions;
using Dataraven.Core.Common;
using FluentValidation;
using F = Dataraven.Core.VaultConnections.VaultConnectionFields;

namespace Dataraven.Core.VaultConnections;

/// <summary>Limits and per-vault-type rules shared by the create, update and rotate validators.</summary>
public static partial class VaultConnectionRules
{
    public const int NameMaxLength = 255;
    public const int DescriptionMaxLength = 2000;
    public const int AccessTokenMaxLength = 4096;
    public const int DopplerSettingMaxLength = 255;
    public const int ClientSecretMaxLength = 1000;
    public const int EnvironmentMaxLength = 100;
    public const int SecretPathMaxLength = 500;

    public const string OnePasswordTokenPrefix = "ops_";
    public const string DopplerTokenPrefix = "dp.st.";

    // Infisical environment slugs: the lenient form (lower-case letters, digits, '-' and '_'), not the
    // strict kebab-case one. Infisical's own slugs ("dev", "prod", "staging-eu") pass either way, but
    // custom environments may carry '_' or a doubled '-'; a wrong-but-well-formed slug is caught by
    // verification against Infisical, while a rejected real slug would leave the user stuck.
    [GeneratedRegex(@"^[a-z0-9_-]+\z")]
    public static partial Regex EnvironmentSlug();

    public static string? TokenPrefix(VaultType type) => type switch
    {
        VaultType.OnePassword => OnePasswordTokenPrefix,
        VaultType.Doppler => DopplerTokenPrefix,
        _ => null,
    };

    internal static VaultType? Parse(string? wire) => VaultTypes.TryParse(wire, out var t) ? t : null;

    internal static IRuleBuilderOptions<T, string?> AccessToken<T>(this IRuleBuilderInitial<T, string?> rule, VaultType type)
    {
        var prefix = TokenPrefix(type) ?? throw new ArgumentOutOfRangeException(nameof(type), "Infisical has no access token.");
        var what = type == VaultType.OnePassword ? "a 1Password service account token" : "a Doppler service token";
        return rule.RequiredText(F.AccessToken, "Access token", AccessTokenMaxLength)
            .Must(t => t!.StartsWith(prefix, StringComparison.Ordinal))
            .WithMessage($"Access token must be {what}, which starts with {prefix}.");
    }

    internal static IRuleBuilderOptions<T, string?> InfisicalClientId<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Client ID is required.")
            .Must(ValidationExtensions.IsUuid)
            .WithMessage("Client ID must be the Universal Auth client ID, a UUID like 6f1c2a9e-3b7d-4c55-9a0e-2d4b8f1e7c30.")
            .OverridePropertyName(F.ClientId);

    internal static IRuleBuilderOptions<T, string?> InfisicalClientSecret<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.RequiredText(F.ClientSecret, "Client secret", ClientSecretMaxLength);

    /// <summary>The field must be null unless the vault type is one of <paramref name="appliesTo"/>.</summary>
    internal static IRuleBuilderOptions<T, string?> OnlyFor<T>(
        this IRuleBuilderInitial<T, string?> rule, string key, string label, Func<T, VaultType?> typeOf, params VaultType[] appliesTo) =>
        rule.Null()
            .When(x => typeOf(x) is { } t && !appliesTo.Contains(t))
            .WithMessage(x => $"{label} does not apply to {typeOf(x)!.Value.DisplayName()} connections.")
            .OverridePropertyName(key);
}

/// <summary>The body of <c>POST /vault-connections</c> and the wizard's form.</summary>
public sealed class VaultConnectionValidator : AbstractValidator<CreateVaultConnectionRequest>
{
    public VaultConnectionValidator()
    {
        RuleFor(x => x.Name).RequiredText(F.Name, "Name", VaultConnectionRules.NameMaxLength);
        RuleFor(x => x.Description).OptionalText(F.Description, "Description", VaultConnectionRules.DescriptionMaxLength);

        RuleFor(x => x.VaultType).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vault type is required: choose onepassword, doppler or infisical.")
            .Must(v => VaultTypes.TryParse(v, out _))
            .WithMessage("Vault type must be one of onepassword, doppler or infisical.")
            .OverridePropertyName(F.VaultType);

        When(x => TypeOf(x) == VaultType.OnePassword, () =>
        {
            RuleFor(x => x.AccessToken).AccessToken(VaultType.OnePassword);
        });

        When(x => TypeOf(x) == VaultType.Doppler, () =>
        {
            RuleFor(x => x.AccessToken).AccessToken(VaultType.Doppler);
            RuleFor(x => x.Project).RequiredText(F.Project, "Project", VaultConnectionRules.DopplerSettingMaxLength);
            RuleFor(x => x.Config).RequiredText(F.Config, "Config", VaultConnectionRules.DopplerSettingMaxLength);
        });

        When(x => TypeOf(x) == VaultType.Infisical, () =>
        {
            RuleFor(x => x.ClientId).InfisicalClientId();
            RuleFor(x => x.ClientSecret).InfisicalClientSecret();
            RuleFor(x => x.ProjectId).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Project ID is required.")
                .Must(ValidationExtensions.IsUuid)
                .WithMessage("Project ID must be the Infisical project ID, a UUID (Project settings → Project ID).")
                .OverridePropertyName(F.ProjectId);
            RuleFor(x => x.Environment).RequiredText(F.Environment, "Environment", VaultConnectionRules.EnvironmentMaxLength)
                .Must(e => VaultConnectionRules.EnvironmentSlug().IsMatch(e!))
                .WithMessage("Environment must be the environment's slug (lower-case letters, digits, - and _), like dev or prod.");
            RuleFor(x => x.SecretPath).Cascade(CascadeMode.Stop)
                .Must(p => p is null || p.StartsWith('/'))
                .WithMessage("Secret path must start with /, like / or /storage/prod.")
                .MaximumLength(VaultConnectionRules.SecretPathMaxLength)
                .WithMessage($"Secret path must be at most {VaultConnectionRules.SecretPathMaxLength} characters.")
                .OverridePropertyName(F.SecretPath);
        });

        const VaultType op = VaultType.OnePassword, dp = VaultType.Doppler, inf = VaultType.Infisical;
        RuleFor(x => x.AccessToken).OnlyFor(F.AccessToken, "Access token", TypeOf, op, dp);
        RuleFor(x => x.Project).OnlyFor(F.Project, "Project", TypeOf, dp);
        RuleFor(x => x.Config).OnlyFor(F.Config, "Config", TypeOf, dp);
        RuleFor(x => x.ClientId).OnlyFor(F.ClientId, "Client ID", TypeOf, inf);
        RuleFor(x => x.ClientSecret).OnlyFor(F.ClientSecret, "Client secret", TypeOf, inf);
        RuleFor(x => x.ProjectId).OnlyFor(F.ProjectId, "Project ID", TypeOf, inf);
        RuleFor(x => x.Environment).OnlyFor(F.Environment, "Environment", TypeOf, inf);
        RuleFor(x => x.SecretPath).OnlyFor(F.SecretPath, "Secret path", TypeOf, inf);
    }

    private static VaultType? TypeOf(CreateVaultConnectionRequest x) => VaultConnectionRules.Parse(x.VaultType);
}

/// <summary>The body of <c>PATCH /vault-connections/{id}</c>: null leaves a value unchanged.</summary>
public sealed class UpdateVaultConnectionValidator : AbstractValidator<UpdateVaultConnectionRequest>
{
    public UpdateVaultConnectionValidator()
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(n => n is null || !string.IsNullOrWhiteSpace(n)).WithMessage("Name cannot be empty.")
            .MaximumLength(VaultConnectionRules.NameMaxLength)
            .WithMessage($"Name must be at most {VaultConnectionRules.NameMaxLength} characters.")
            .OverridePropertyName(F.Name);
        RuleFor(x => x.Description).OptionalText(F.Description, "Description", VaultConnectionRules.DescriptionMaxLength);
    }
}

/// <summary>The body of <c>POST /vault-connections/{id}/rotate</c>, for a connection of <paramref name="vaultType"/>.</summary>
public sealed class RotateVaultConnectionValidator : AbstractValidator<RotateVaultConnectionRequest>
{
    public RotateVaultConnectionValidator(VaultType vaultType)
    {
        VaultType = vaultType;
        VaultType? TypeOf(RotateVaultConnectionRequest _) => vaultType;

        if (vaultType == VaultType.Infisical)
        {
            RuleFor(x => x.ClientId).InfisicalClientId();
            RuleFor(x => x.ClientSecret).InfisicalClientSecret();
        }
        else
        {
            RuleFor(x => x.AccessToken).AccessToken(vaultType);
        }

        const VaultType op = VaultType.OnePassword, dp = VaultType.Doppler, inf = VaultType.Infisical;
        RuleFor(x => x.AccessToken).OnlyFor(F.AccessToken, "Access token", TypeOf, op, dp);
        RuleFor(x => x.ClientId).OnlyFor(F.ClientId, "Client ID", TypeOf, inf);
        RuleFor(x => x.ClientSecret).OnlyFor(F.ClientSecret, "Client secret", TypeOf, inf);
    }

    public VaultType VaultType { get; }
}
