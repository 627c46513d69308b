using Bunit;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Portal.Components.Pages.Secrets;
using Dataraven.Portal.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace Dataraven.Tests.Components.Secrets;

public sealed class CredentialInputsTests
{
    private const string SasUrl = "https://acme.blob.core.windows.net/exports?sv=2022-11-02&sp=rl&sig=c2lnbmF0dXJl";

    private const string GcsJson = """
        {"type": "service_account", "client_email": "transfers@acme-data.iam.gserviceaccount.com",
         "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n"}
        """;

    public static TheoryData<string, string> EveryAuthMethod()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in SecretCatalog.All)
        {
            foreach (var method in type.AuthMethods)
            {
                data.Add(type.Id, method.Id);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryAuthMethod))]
    public async Task EachTypeOfTheCatalog_OneInputPerField_SecretsMasked(string secretType, string authMethod)
    {
        await using var ctx = PortalComponents.NewContext();
        var method = SecretCatalog.FindAuthMethod(secretType, authMethod)!;

        var cut = Render(ctx, method, []);

        Assert.Equal(method.Fields.Count, cut.FindAll("[data-testid^='credential-'] input:not([type=file]), [data-testid^='credential-'] textarea").Count);
        foreach (var field in method.Fields)
        {
            var input = cut.Find("#cred-" + field.Name);
            Assert.Contains(field.HelpText, cut.Find($"#help-{field.Name}").TextContent);
            if (field.Multiline)
            {
                Assert.Equal("textarea", input.TagName.ToLowerInvariant());
                Assert.NotNull(input.Closest(".masked"));
            }
            else
            {
                Assert.Equal(field.IsSecret ? "password" : "text", input.GetAttribute("type"));
            }
            Assert.Equal(field.IsSecret, cut.FindAll($"button[aria-label='Show {field.Label}']").Count == 1);
        }
    }

    [Fact]
    public async Task ShowHideToggle_UnmasksAndMasksAgain()
    {
        await using var ctx = PortalComponents.NewContext();
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("s3", "s3_access_key")!, []);

        cut.Find("button[aria-label='Show Secret access key']").Click();
        Assert.Equal("text", cut.Find("#cred-secret_access_key").GetAttribute("type"));
        Assert.Equal("text", cut.Find("#cred-access_key_id").GetAttribute("type"));

        cut.Find("button[aria-label='Hide Secret access key']").Click();
        Assert.Equal("password", cut.Find("#cred-secret_access_key").GetAttribute("type"));
    }

    [Fact]
    public async Task ShowHideToggle_OnTheJsonKeyTextArea()
    {
        await using var ctx = PortalComponents.NewContext();
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("gcs", "gcs_service_account")!, []);

        cut.Find("button[aria-label='Show Service account key (JSON)']").Click();
        Assert.Null(cut.Find("#cred-service_account_json").Closest(".masked"));
        cut.Find("button[aria-label='Hide Service account key (JSON)']").Click();
        Assert.NotNull(cut.Find("#cred-service_account_json").Closest(".masked"));
    }

    [Fact]
    public async Task SasUrlInAnAccessKeyField_IsOfferedAsAzureSasUrl()
    {
        await using var ctx = PortalComponents.NewContext();
        (CredentialSuggestion Suggestion, string Value)? accepted = null;
        var values = new Dictionary<string, string>();
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("s3", "s3_access_key")!, values, onAccept: a => accepted = a);

        cut.Find("#cred-secret_access_key").Input(SasUrl);

        Assert.Contains("Azure Blob Storage · SAS URL", cut.Find("[data-testid='type-suggestion']").TextContent);
        cut.Find("[data-testid='accept-suggestion']").Click();
        Assert.Equal(("azure_blob", "azure_sas_url", "sas_url", SasUrl),
            (accepted!.Value.Suggestion.Type.Id, accepted.Value.Suggestion.Method.Id, accepted.Value.Suggestion.Field.Name, accepted.Value.Value));
        Assert.Empty(cut.FindAll("[data-testid='type-suggestion']"));
    }

    [Fact]
    public async Task GcsJsonInTheSasUrlField_IsOfferedAsGoogleCloudStorage()
    {
        await using var ctx = PortalComponents.NewContext();
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("azure_blob", "azure_sas_url")!, []);

        cut.Find("#cred-sas_url").Input(GcsJson);

        Assert.Contains("Google Cloud Storage · Service account key", cut.Find("[data-testid='type-suggestion']").TextContent);
    }

    [Fact]
    public async Task OrdinaryValues_AndTheRightField_SuggestNothing()
    {
        await using var ctx = PortalComponents.NewContext();
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("azure_blob", "azure_sas_url")!, []);

        cut.Find("#cred-sas_url").Input(SasUrl);
        Assert.Empty(cut.FindAll("[data-testid='type-suggestion']"));

        var s3 = Render(ctx, SecretCatalog.FindAuthMethod("s3", "s3_access_key")!, []);
        s3.Find("#cred-secret_access_key").Input("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        Assert.Empty(s3.FindAll("[data-testid='type-suggestion']"));
    }

    [Fact]
    public async Task WhenTheTypeIsFixed_ASuggestionOfAnotherTypeCannotBeTaken()
    {
        await using var ctx = PortalComponents.NewContext();
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("s3", "s3_access_key")!, [], fixedType: "s3");

        cut.Find("#cred-secret_access_key").Input(SasUrl);

        Assert.Contains("cannot change", cut.Find("[data-testid='type-suggestion']").TextContent);
        Assert.Empty(cut.FindAll("[data-testid='accept-suggestion']"));
    }

    [Fact]
    public async Task JsonKeyFile_UploadedIntoTheField_InMemory()
    {
        await using var ctx = PortalComponents.NewContext();
        var values = new Dictionary<string, string>();
        var cut = Render(ctx, SecretCatalog.FindAuthMethod("gcs", "gcs_service_account")!, values);

        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>()
            .UploadFiles(InputFileContent.CreateFromText(GcsJson, "key.json", contentType: "application/json"));

        cut.WaitForAssertion(() => Assert.Equal(GcsJson, values["service_account_json"]));
    }

    private static IRenderedComponent<CredentialInputs> Render(BunitContext ctx, AuthMethod method, Dictionary<string, string> values,
        string? fixedType = null, Action<(CredentialSuggestion, string)>? onAccept = null) =>
        ctx.Render<CredentialInputs>(p => p
            .Add(c => c.Method, method)
            .Add(c => c.Values, values)
            .Add(c => c.Validation, new FormValidation())
            .Add(c => c.FixedType, fixedType)
            .Add(c => c.OnAccept, EventCallback.Factory.Create<(CredentialSuggestion, string)>(new object(), a => onAccept?.Invoke(a))));
}
