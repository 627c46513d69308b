using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;

namespace Dataraven.Portal.Components.Pages.Account;

/// <summary>
/// A one-time code field (authenticator or recovery code): visible while typed, offered the code by the browser
/// or phone (<c>autocomplete="one-time-code"</c>), and, like <see cref="PasswordInput"/>, never written back into
/// the page that answers the post.
/// </summary>
public sealed class CodeInput : InputBase<string>
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "input");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "type", "text");
        builder.AddAttribute(3, "name", NameAttributeValue);
        builder.AddAttribute(4, "class", CssClass);
        builder.AddAttribute(5, "autocomplete", "one-time-code");
        builder.AddAttribute(6, "spellcheck", "false");
        builder.AddAttribute(7, "autocapitalize", "off");
        builder.CloseElement();
    }

    protected override bool TryParseValueFromString(string? value, out string result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? validationErrorMessage)
    {
        result = value ?? "";
        validationErrorMessage = null;
        return true;
    }
}
