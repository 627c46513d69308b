using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;

namespace Dataraven.Portal.Components.Pages.Account;

/// <summary>
/// A password field for the static account forms that never writes its value back into the HTML: a page
/// answering a failed sign-in, registration or setup must not carry the typed password (caches, view-source).
/// The posted value still reaches the model through the field's name.
/// </summary>
public sealed class PasswordInput : InputBase<string>
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "input");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "type", "password");
        builder.AddAttribute(3, "name", NameAttributeValue);
        builder.AddAttribute(4, "class", CssClass);
        builder.CloseElement();
    }

    protected override bool TryParseValueFromString(string? value, out string result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? validationErrorMessage)
    {
        result = value ?? "";
        validationErrorMessage = null;
        return true;
    }
}
