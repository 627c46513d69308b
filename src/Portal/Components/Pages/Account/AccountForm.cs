using System.ComponentModel.DataAnnotations;

namespace Dataraven.Portal.Components.Pages.Account;

public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter your email.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    public string Password { get; set; } = "";
}

public class RegisterInput
{
    [Required(ErrorMessage = "Enter your email.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Choose a password.")]
    [MinLength(8, ErrorMessage = "Use at least 8 characters.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    public string ConfirmPassword { get; set; } = "";
}

/// <summary>First run: the account of the first Owner, and the team's name.</summary>
public sealed class SetupInput : RegisterInput
{
    [Required(ErrorMessage = "Name your team.")]
    [MaxLength(255, ErrorMessage = "Use at most 255 characters.")]
    public string TeamName { get; set; } = "";
}

public sealed class TwoFactorInput
{
    [Required(ErrorMessage = "Enter the code.")]
    [MaxLength(64, ErrorMessage = "That code did not work. Check it and try again.")]
    public string Code { get; set; } = "";
}

/// <summary>A form that is only a button (its name says what it does).</summary>
public sealed class EmptyForm;

public sealed class ChangePasswordInput
{
    [Required(ErrorMessage = "Enter your current password.")]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Choose a new password.")]
    [MinLength(8, ErrorMessage = "Use at least 8 characters.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ForgotPasswordInput
{
    [Required(ErrorMessage = "Enter your email.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string Email { get; set; } = "";
}

public sealed class NewPasswordInput
{
    [Required(ErrorMessage = "Choose a new password.")]
    [MinLength(8, ErrorMessage = "Use at least 8 characters.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    public string ConfirmPassword { get; set; } = "";
}

/// <summary>What a passkey form posts: the browser's answer (JSON of its PublicKeyCredential) or why there is none.</summary>
public class PasskeyInput
{
    [MaxLength(64 * 1024)]
    public string? CredentialJson { get; set; }

    [MaxLength(500)]
    public string? Error { get; set; }
}

/// <summary>Adding a passkey: the browser's answer and the name the person gave it.</summary>
public sealed class AddPasskeyInput : PasskeyInput
{
    [MaxLength(Dataraven.Portal.Auth.PasskeyListItem.MaxNameLength, ErrorMessage = "Use at most 100 characters.")]
    public string? Name { get; set; }
}

public sealed class RenamePasskeyInput
{
    [Required(ErrorMessage = "Enter a name.")]
    [MaxLength(Dataraven.Portal.Auth.PasskeyListItem.MaxNameLength, ErrorMessage = "Use at most 100 characters.")]
    public string Name { get; set; } = "";
}
