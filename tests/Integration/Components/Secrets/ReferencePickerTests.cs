using Bunit;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections;
using Dataraven.Portal.Components.Pages.Secrets;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using MudBlazor;

namespace Dataraven.Tests.Components.Secrets;

/// <summary>The mapping rows' vault picker and "Fill from vault", on a real portal whose provider fakes hold canary values.</summary>
public sealed class ReferencePickerTests(VaultBrowsePortal fixture) : IClassFixture<VaultBrowsePortal>
{
    private TestPortal Portal => fixture.Portal;
    private static readonly AuthMethod S3 = SecretCatalog.FindAuthMethod("s3", "s3_access_key")!;

    private static IRenderedComponent<ReferencePicker> Render(BunitContext ctx, TeamFixture team, Guid connection, VaultType type,
        Action<string>? picked = null, AuthMethod? method = null, Action<IReadOnlyList<ReferenceSuggestion>>? applied = null)
    {
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<ReferencePicker>(p => p
            .AddCascadingValue(PortalComponents.OwnerContext(team))
            .Add(x => x.ConnectionId, connection)
            .Add(x => x.VaultType, type)
            .Add(x => x.Method, method)
            .Add(x => x.OnPicked, r => picked?.Invoke(r))
            .Add(x => x.OnApply, s => applied?.Invoke(s)));
        cut.WaitForElement("[data-testid='picker-entries'], [data-testid='picker-error']", TimeSpan.FromSeconds(15));
        Assert.Empty(cut.FindAll("[data-testid='picker-error']"));
        return cut;
    }

    /// <summary>MudTextField puts unmatched attributes on its input.</summary>
    private static AngleSharp.Dom.IElement Search(IRenderedComponent<ReferencePicker> cut)
    {
        var element = cut.Find("[data-testid='picker-search']");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    private static void Click(IRenderedComponent<ReferencePicker> cut, string name, string next)
    {
        cut.Find($"[data-testid='picker-entry-{name}']").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"[data-testid='picker-entry-{next}']")), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Picker_OnePassword_VaultItemField_PicksTheReference()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connection = await PortalComponents.CreateConnectionAsync(Portal, team, "onepassword", "1P");
        await using var ctx = PortalComponents.NewContext(Portal);
        string? picked = null;
        var cut = Render(ctx, team, connection, VaultType.OnePassword, r => picked = r);

        // The root (the vaults) comes from the first browse: wait for it.
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid='picker-entry-Shared']")));
        Click(cut, "DevOps", "AWS-Prod");
        Search(cut).Input("aws");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid='picker-entry-Backblaze']")), TimeSpan.FromSeconds(15));
        Click(cut, "AWS-Prod", "secret_access_key");
        Assert.Equal("DevOps/AWS-Prod", cut.Find("[data-testid='picker-path']").TextContent);
        Assert.DoesNotContain(VaultBrowsePortal.Canary, cut.Markup);

        cut.Find("[data-testid='picker-entry-secret_access_key']").Click();
        Assert.Equal("op://DevOps/AWS-Prod/secret_access_key", picked);

        cut.Find("[data-testid='picker-up']").Click();
        cut.WaitForAssertion(() => Assert.Equal("DevOps", cut.Find("[data-testid='picker-path']").TextContent), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Fill_OnePasswordItem_SuggestsEachField_AppliesOnlyTheConfirmed()
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connection = await PortalComponents.CreateConnectionAsync(Portal, team, "onepassword", "1P");
        await using var ctx = PortalComponents.NewContext(Portal);
        IReadOnlyList<ReferenceSuggestion>? applied = null;
        var cut = Render(ctx, team, connection, VaultType.OnePassword, method: S3, applied: a => applied = a);

        Click(cut, "DevOps", "AWS-Prod");
        Click(cut, "AWS-Prod", "access_key_id");
        cut.Find("[data-testid='fill-suggest']").Click();
        // The suggestions come from a browse of the item (a round trip to the fake op): wait for them.
        Assert.Contains("op://DevOps/AWS-Prod/access_key_id", cut.WaitForElement("[data-testid='suggestion-access_key_id']").TextContent);
        Assert.Contains("op://DevOps/AWS-Prod/secret_access_key", cut.Find("[data-testid='suggestion-secret_access_key']").TextContent);
        Assert.Null(applied);

        cut.Find("[data-testid='suggestion-secret_access_key'] input").Change(false);
        cut.Find("[data-testid='fill-apply']").Click();
        var only = Assert.Single(applied!);
        Assert.Equal(("access_key_id", "op://DevOps/AWS-Prod/access_key_id"), (only.FieldName, only.Reference));
        Assert.DoesNotContain(VaultBrowsePortal.Canary, cut.Markup);
    }

    [Fact]
    public async Task Fill_Doppler_ByPrefix()
    {
        fixture.Fakes.Doppler.SetSecrets(ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = $"{VaultBrowsePortal.Canary}-1",
            ["AWS_SECRET_ACCESS_KEY"] = $"{VaultBrowsePortal.Canary}-2",
            ["OLD_AWS_ACCESS_KEY_ID"] = $"{VaultBrowsePortal.Canary}-3",
        });
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connection = await PortalComponents.CreateConnectionAsync(Portal, team, "doppler", "Doppler");
        await using var ctx = PortalComponents.NewContext(Portal);
        IReadOnlyList<ReferenceSuggestion>? applied = null;
        var cut = Render(ctx, team, connection, VaultType.Doppler, method: S3, applied: a => applied = a);

        Search(cut).Input("AWS_");
        // MudTextField hands the typed value on asynchronously: the list narrows on a later render.
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid='picker-entry-OLD_AWS_ACCESS_KEY_ID']")), TimeSpan.FromSeconds(15));
        cut.Find("[data-testid='fill-suggest']").Click();
        cut.WaitForElement("[data-testid='suggestion-access_key_id']");
        cut.Find("[data-testid='fill-apply']").Click();
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"], applied!.Select(s => s.Reference));
        Assert.DoesNotContain(VaultBrowsePortal.Canary, cut.Markup);
    }
}
