using Bunit;
using Dataraven.Core.Common;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultConnections.Catalog;
using Dataraven.Portal.Components.Pages.VaultConnections;
using Dataraven.Portal.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dataraven.Tests.Unit.Components.VaultConnections;

/// <summary>The wizard's details step: fields from the catalog per provider, masked credentials, inline errors.</summary>
public sealed class ProviderDetailsTests
{
    public static TheoryData<VaultType> Providers => new(VaultProviderCatalog.All.Select(p => p.Type));

    private static (BunitContext Context, IRenderedComponent<ProviderDetails> Details, FormValidation Validation) Render(
        VaultType type, params string[] takenNames)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        var validation = new FormValidation();
        var model = new CreateVaultConnectionRequest { VaultType = type.ToWire(), Verify = true };
        var details = ctx.Render<ProviderDetails>(p => p
            .Add(d => d.Type, type)
            .Add(d => d.Model, model)
            .Add(d => d.Validation, validation)
            .Add(d => d.TakenNames, takenNames.Select(Names.Normalize).ToHashSet())
            .Add(d => d.OnNext, () => { })
            .Add(d => d.OnBack, () => { }));
        return (ctx, details, validation);
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ProviderDetails> details, string key) =>
        details.Find($"input[data-testid='field-{key}']");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Render_ShowsExactlyTheProvidersFields(VaultType type)
    {
        var (ctx, details, _) = Render(type);
        await using var _ = ctx;
        var provider = VaultProviderCatalog.Get(type);

        foreach (var field in provider.Fields)
        {
            Assert.Equal(ConnectionField.IdFor(field.WireName, "vc"), Input(details, field.WireName).Id);
        }
        foreach (var other in VaultProviderCatalog.AllFields.Where(f => !provider.Has(f.WireName)))
        {
            Assert.Empty(details.FindAll($"input[data-testid='field-{other.WireName}']"));
        }
        Assert.Contains(provider.DisplayName, details.Find("h2").TextContent);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SecretFields_AreMasked_AndTheToggleShowsAndHidesThem(VaultType type)
    {
        var (ctx, details, _) = Render(type);
        await using var _ = ctx;

        foreach (var field in VaultProviderCatalog.Get(type).Fields)
        {
            Assert.Equal(field.IsSecret ? "password" : "text", Input(details, field.WireName).GetAttribute("type"));
            if (!field.IsSecret)
            {
                continue;
            }
            details.Find($"button[aria-label='Show {field.Label.ToLowerInvariant()}']").Click();
            Assert.Equal("text", Input(details, field.WireName).GetAttribute("type"));
            details.Find($"button[aria-label='Hide {field.Label.ToLowerInvariant()}']").Click();
            Assert.Equal("password", Input(details, field.WireName).GetAttribute("type"));
        }
    }

    [Fact]
    public void Catalog_MasksEveryTokenAndSecret_ButNotTheInfisicalClientId()
    {
        Assert.True(VaultProviderCatalog.AllCredentials.Single(f => f.WireName == VaultConnectionFields.ClientSecret).IsSecret);
        Assert.True(VaultProviderCatalog.AllCredentials.Single(f => f.WireName == VaultConnectionFields.AccessToken).IsSecret);
        Assert.False(VaultProviderCatalog.AllCredentials.Single(f => f.WireName == VaultConnectionFields.ClientId).IsSecret);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Typing_ValidatesInline_OnlyTheTouchedField_WithTheCoreValidatorsMessage(VaultType type)
    {
        var (ctx, details, _) = Render(type);
        await using var _ = ctx;
        var field = VaultProviderCatalog.Get(type).Fields.First(f => f.Required);

        Input(details, field.WireName).Input("x y");
        Input(details, field.WireName).Input("");

        var expected = new VaultConnectionValidator().Validate(new CreateVaultConnectionRequest { VaultType = type.ToWire(), Name = "n" })
            .ToValidationProblem().Errors[field.WireName][0];
        details.WaitForAssertion(() => Assert.Contains(expected, details.Find($"[data-testid='error-{field.WireName}']").TextContent));
        Assert.Empty(details.FindAll("[data-testid='error-name']"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Next_WithEmptyFields_ShowsEveryRequiredFieldsError(VaultType type)
    {
        var (ctx, details, _) = Render(type);
        await using var _ = ctx;

        details.Find("form").Submit();

        Assert.NotEmpty(details.FindAll("[data-testid='error-name']"));
        foreach (var field in VaultProviderCatalog.Get(type).Fields.Where(f => f.Required))
        {
            Assert.NotEmpty(details.FindAll($"[data-testid='error-{field.WireName}']"));
        }
    }

    [Fact]
    public async Task DuplicateName_IsCaughtAsYouType_InAnyCase()
    {
        var (ctx, details, validation) = Render(VaultType.Doppler, "Shared vault");
        await using var _ = ctx;

        Input(details, "name").Input("SHARED VAULT");

        details.WaitForAssertion(() => Assert.Contains("already used", details.Find("[data-testid='error-name']").TextContent));
        Assert.False(validation.IsValid);

        Input(details, "name").Input("Another vault");
        details.WaitForAssertion(() => Assert.Empty(details.FindAll("[data-testid='error-name']")));
    }
}
