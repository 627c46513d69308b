using Bunit;
using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Portal.Components.Pages.Requests;
using Dataraven.Portal.Components.Shared;
using Dataraven.Tests.Components.Secrets;

namespace Dataraven.Tests.Components.Requests;

/// <summary>The recipient's inputs: the catalog's fields of the requested auth method, masked, never echoing a secret.</summary>
public sealed class RecipientFormTests
{
    public static TheoryData<string, string> EveryAuthMethod() => CredentialInputsTests.EveryAuthMethod();

    private static IRenderedComponent<RecipientForm> Render(BunitContext ctx, AuthMethod method, FormValidation? validation = null,
        Dictionary<string, string>? kept = null, string? formError = null) =>
        ctx.Render<RecipientForm>(p => p
            .Add(f => f.Method, method)
            .Add(f => f.Validation, validation ?? new FormValidation())
            .Add(f => f.Kept, kept ?? new Dictionary<string, string>())
            .Add(f => f.FormError, formError));

    [Theory]
    [MemberData(nameof(EveryAuthMethod))]
    public async Task EachAuthMethod_OnePostedInputPerField_SecretsMaskedWithAShowButton(string secretType, string authMethod)
    {
        await using var ctx = PortalComponents.NewContext();
        var method = SecretCatalog.FindAuthMethod(secretType, authMethod)!;

        var cut = Render(ctx, method);

        var posted = cut.FindAll("[name^='credentials.']");
        Assert.Equal(method.Fields.Select(f => SecretFields.Credential(f.Name)), posted.Select(e => e.GetAttribute("name")));
        foreach (var field in method.Fields)
        {
            var input = cut.Find("#cred-" + field.Name);
            Assert.Equal($"help-{field.Name} err-credentials-{field.Name}", input.GetAttribute("aria-describedby"));
            Assert.Equal(field.Label, cut.Find($"label[for='cred-{field.Name}']").TextContent);
            if (field.Multiline)
            {
                Assert.Equal("textarea", input.TagName.ToLowerInvariant());
                Assert.Equal(field.IsSecret, input.ClassList.Contains("masked"));
            }
            else
            {
                Assert.Equal(field.IsSecret ? "password" : "text", input.GetAttribute("type"));
            }
            var reveal = cut.FindAll($"button[data-dr-reveal='cred-{field.Name}']");
            Assert.Equal(field.IsSecret ? 1 : 0, reveal.Count);
            if (field.IsSecret)
            {
                Assert.Equal("button", reveal[0].GetAttribute("type"));
                Assert.Equal($"Show {field.Label}", reveal[0].GetAttribute("aria-label"));
            }
        }
        Assert.Equal(method.Fields.Any(f => f.Check == CredentialCheck.ServiceAccountJson) ? 1 : 0, cut.FindAll("input[type=file]").Count);
        Assert.NotNull(cut.Find("button[type=submit]#submit-credentials"));
    }

    [Fact]
    public async Task TheGcsKeyFile_IsReadIntoTheTextArea_AndTheFileInputIsNotPosted()
    {
        await using var ctx = PortalComponents.NewContext();
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("gcs", "gcs_service_account")!);

        var file = cut.Find("input[type=file]");
        Assert.Equal("cred-service_account_json", file.GetAttribute("data-dr-read-into"));
        Assert.Null(file.GetAttribute("name"));
        Assert.Contains(".json", file.GetAttribute("accept"));
        Assert.NotNull(cut.Find("textarea#cred-service_account_json.masked"));
    }

    [Fact]
    public async Task ErrorsShowPerField_AndOnlyNonSecretValuesAreShownAgain()
    {
        await using var ctx = PortalComponents.NewContext();
        var validation = new FormValidation();
        validation.Apply(new ValidationProblem(new Dictionary<string, string[]>
        {
            ["credentials.account_key"] = ["Enter the account key."],
        }));
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("azure_blob", "azure_account_key")!, validation,
            new Dictionary<string, string> { ["account_name"] = "acmeexports" }, "The team could not accept it.");

        var error = cut.Find("[data-testid='error-credentials.account_key']");
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Equal("err-credentials-account_key", error.Id);
        Assert.Contains("Enter the account key.", error.TextContent);
        Assert.Equal("true", cut.Find("#cred-account_key").GetAttribute("aria-invalid"));
        Assert.Equal("false", cut.Find("#cred-account_name").GetAttribute("aria-invalid"));
        Assert.Empty(cut.FindAll("[data-testid='error-credentials.account_name']"));
        Assert.Equal("acmeexports", cut.Find("#cred-account_name").GetAttribute("value"));
        Assert.Null(cut.Find("#cred-account_key").GetAttribute("value"));
        Assert.Contains("The team could not accept it.", cut.Find("[data-testid=form-error]").TextContent);
    }
}
