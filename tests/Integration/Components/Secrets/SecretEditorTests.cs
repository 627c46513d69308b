using Bunit;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Portal.Components.Layout;
using Dataraven.Portal.Components.Pages.Secrets;
using Microsoft.AspNetCore.Components;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using MudBlazor;

namespace Dataraven.Tests.Components.Secrets;

/// <summary>The secret editor page on a real portal's services.</summary>
public sealed class SecretEditorTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    [Fact]
    public async Task MappingRows_RebuildWhenTheAuthMethodChanges()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var doppler = await PortalComponents.CreateConnectionAsync(Portal, team, "doppler", "Doppler prod");
        await using var ctx = PortalComponents.NewContext(Portal);
        var cut = RenderEditor(ctx, team);

        await ChooseAsync(cut, "Storage type", "azure_blob");
        await ChooseAsync(cut, "Auth method", "azure_sas_url");
        cut.Find("[data-testid='source-vault']").Change(true);
        await ChooseConnectionAsync(cut, doppler);

        Assert.Equal(["mapping-row-sas_url"], RowIds(cut));
        cut.Find("#ref-sas_url").Input("AZURE_SAS_URL");

        await ChooseAsync(cut, "Auth method", "azure_account_key");

        Assert.Equal(["mapping-row-account_name", "mapping-row-account_key"], RowIds(cut));
        Assert.Equal(ReferenceSyntax.Example(VaultType.Doppler, "account_key", "azure_blob"), cut.Find("#ref-account_key").GetAttribute("placeholder"));
        Assert.Equal("", cut.Find("#ref-account_name").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task MappingRows_RebuildWhenTheConnectionChanges()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var doppler = await PortalComponents.CreateConnectionAsync(Portal, team, "doppler", "Doppler prod");
        var onePassword = await PortalComponents.CreateConnectionAsync(Portal, team, "onepassword", "DevOps 1Password");
        await using var ctx = PortalComponents.NewContext(Portal);
        var cut = RenderEditor(ctx, team);

        await ChooseAsync(cut, "Storage type", "s3");
        cut.Find("[data-testid='source-vault']").Change(true);
        Assert.NotEmpty(cut.FindAll("[data-testid='choose-connection-first']"));
        await ChooseConnectionAsync(cut, doppler);
        cut.Find("#ref-access_key_id").Input("AWS_ACCESS_KEY_ID");
        Assert.Contains("Reference in Doppler", cut.Find("[data-testid='mapping-rows']").TextContent);

        await ChooseConnectionAsync(cut, onePassword);

        Assert.Contains("Reference in 1Password", cut.Find("[data-testid='mapping-rows']").TextContent);
        Assert.Equal(["mapping-row-access_key_id", "mapping-row-secret_access_key"], RowIds(cut));
        Assert.Equal(ReferenceSyntax.Example(VaultType.OnePassword, "access_key_id", "s3"), cut.Find("#ref-access_key_id").GetAttribute("placeholder"));
        Assert.Equal("", cut.Find("#ref-access_key_id").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task DuplicateName_IsCaughtAsYouType_AndNotSaved()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var owner = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner);
        await Portal.WithAsync<SecretService, Core.Common.Result<SecretDetails>>(s => s.CreateAsync(owner, new CreateSecretRequest
        {
            Name = "Prod backups", SecretType = "s3", AuthMethod = "s3_access_key",
            Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret" },
        }));
        await using var ctx = PortalComponents.NewContext(Portal);
        var cut = RenderEditor(ctx, team);

        cut.Find("#secret-name").Input("prod BACKUPS ");

        Assert.Contains("already has a secret named", cut.Find("[data-testid='name-taken']").TextContent);
        Assert.Equal("true", cut.Find("#secret-name").GetAttribute("aria-invalid"));
        cut.Find("#secret-name").Input("Prod backups (EU)");
        Assert.Empty(cut.FindAll("[data-testid='name-taken']"));
    }

    [Fact]
    public async Task AcceptingASuggestion_SwitchesTypeAndKeepsTheValueInTheRightField()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await using var ctx = PortalComponents.NewContext(Portal);
        var cut = RenderEditor(ctx, team);
        const string sas = "https://acme.blob.core.windows.net/exports?sv=2022-11-02&sp=rl&sig=c2lnbmF0dXJl";

        await ChooseAsync(cut, "Storage type", "s3");
        cut.Find("#cred-secret_access_key").Input(sas);
        cut.Find("[data-testid='accept-suggestion']").Click();

        // Only Azure Blob Storage has a sas_url field: the type and auth method moved with the value.
        Assert.Single(cut.FindAll("[data-testid^='credential-'] input, [data-testid^='credential-'] textarea"));
        Assert.Empty(cut.FindAll("#cred-secret_access_key"));
        Assert.Equal(sas, cut.Find("#cred-sas_url").GetAttribute("value"));
    }

    [Fact]
    public async Task FillFromVault_StaysOpen_WhenTheLayoutRendersAgain()
    {
        // The layout renders for its own state too: the drawer closes at a breakpoint when the viewport is resized.
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var doppler = await PortalComponents.CreateConnectionAsync(Portal, team, "doppler", "Doppler prod");
        await using var ctx = PortalComponents.NewContext(Portal);
        ctx.Render<MudPopoverProvider>();
        var context = PortalComponents.OwnerContext(team);
        RenderFragment body = b => { b.OpenComponent<SecretEditor>(0); b.CloseComponent(); };
        var host = ctx.Render<PortalCascade>(p => p.Add(c => c.Context, context).Add(c => c.Layout, null!).Add(c => c.ChildContent, body));
        host.WaitForElement("[data-testid='secret-editor']");
        var cut = host.FindComponent<SecretEditor>();
        await ChooseAsync(cut, "Storage type", "s3");
        cut.Find("[data-testid='source-vault']").Change(true);
        await ChooseConnectionAsync(cut, doppler);
        cut.Find("[data-testid='fill-from-vault']").Click();
        cut.WaitForElement("[data-testid='fill-from-vault-panel']");

        host.Render(p => p.Add(c => c.Context, context).Add(c => c.Layout, null!).Add(c => c.ChildContent, body));

        Assert.NotEmpty(cut.FindAll("[data-testid='fill-from-vault-panel']"));
        Assert.Equal("true", cut.Find("[data-testid='fill-from-vault']").GetAttribute("aria-expanded"));
    }

    [Fact]
    public async Task RotateEvery_IsPrefilled_RefusesOutOfRange_AndSavesWithoutTouchingTheCredentials()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var owner = new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner);
        var created = (await Portal.WithAsync<SecretService, Core.Common.Result<SecretDetails>>(s => s.CreateAsync(owner, new CreateSecretRequest
        {
            Name = "Rotated", SecretType = "s3", AuthMethod = "s3_access_key", CredentialExpirationDays = 30,
            Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret" },
        }))).Value!.Secret;
        await using var ctx = PortalComponents.NewContext(Portal);
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<SecretEditor>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)).Add(c => c.Id, created.Id));
        cut.WaitForElement("[data-testid='secret-editor']");
        Assert.Equal("30", cut.Find("#secret-rotate-days").GetAttribute("value"));

        var field = cut.FindComponent<MudNumericField<int?>>();
        await cut.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(0));
        await cut.InvokeAsync(() => cut.Find("[data-testid='secret-editor']").Submit());
        Assert.NotEmpty(cut.FindAll("[data-testid='error-credential_expiration_days']"));
        Assert.Equal(30, (await Portal.WithAsync<SecretService, Core.Common.Result<SecretDetails>>(s => s.GetAsync(owner, created.Id))).Value!.Secret.CredentialExpirationDays);

        await cut.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(60));
        await cut.InvokeAsync(() => cut.Find("[data-testid='secret-editor']").Submit());
        var saved = (await Portal.WithAsync<SecretService, Core.Common.Result<SecretDetails>>(s => s.GetAsync(owner, created.Id))).Value!.Secret;
        Assert.Equal(60, saved.CredentialExpirationDays);
        Assert.Equal(created.CredentialsUpdatedAt, saved.CredentialsUpdatedAt);
    }

    private static IRenderedComponent<SecretEditor> RenderEditor(BunitContext ctx, TeamFixture team)
    {
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<SecretEditor>(p => p.AddCascadingValue(PortalComponents.OwnerContext(team)));
        cut.WaitForElement("[data-testid='secret-editor']");
        return cut;
    }

    private static string[] RowIds(IRenderedComponent<SecretEditor> cut) =>
        cut.FindAll("[data-testid^='mapping-row-']").Select(e => e.GetAttribute("data-testid")!).ToArray();

    // The MudSelect's own popover is MudBlazor's; the editor's part is what happens once a value is chosen.
    private static Task ChooseAsync(IRenderedComponent<SecretEditor> cut, string label, string value)
    {
        var select = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        return cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static Task ChooseConnectionAsync(IRenderedComponent<SecretEditor> cut, Guid id)
    {
        var select = cut.FindComponent<MudSelect<Guid?>>();
        return cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(id));
    }
}
