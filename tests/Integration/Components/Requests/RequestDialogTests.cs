using System.Net;
using Bunit;
using Dataraven.Core.Common;
using Dataraven.Core.CredentialRequests;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Portal.Components.Pages.Requests;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Dataraven.Tests.Components.Requests;

/// <summary>"Request from someone" against a real portal's services: the link shown once, errors per field.</summary>
public sealed class RequestDialogTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>, IAsyncLifetime
{
    private TestPortal Portal => fixture.Portal;
    private TeamFixture _team = null!;
    private BunitContext _ctx = null!;

    public async Task InitializeAsync()
    {
        _team = await Portal.CreateTeamAsync("Acme", "pro");
        _ctx = new BunitContext();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped(_ => Portal.Services.CreateScope());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<TeamService>());
        _ctx.Services.AddScoped(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<CredentialRequestService>());
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private TeamActor Owner => new(_team.TeamId, _team.OwnerId, TeamRole.Owner);

    private async Task<(IRenderedComponent<MudDialogProvider> Dialogs, Task<bool> Result)> OpenAsync(Secret? secret = null)
    {
        _ctx.Render<MudPopoverProvider>();
        var dialogs = _ctx.Render<MudDialogProvider>();
        var service = _ctx.Services.GetRequiredService<IDialogService>();
        Task<bool> result = null!;
        // Not awaited: the task ends when the dialog closes.
        await dialogs.InvokeAsync(() => { result = RequestDialog.ShowAsync(service, Owner, "Acme", secret); });
        dialogs.WaitForElement("[data-testid=request-dialog]");
        return (dialogs, result);
    }

    private Task<List<CredentialRequest>> RequestsAsync() =>
        Portal.WithAsync<PortalDbContext, List<CredentialRequest>>(db => db.CredentialRequests.Where(r => r.TeamId == _team.TeamId).ToListAsync());

    [Fact]
    public async Task ForADirectSecret_CreatesTheRequest_AndShowsTheLinkOnceWithCopyAndAWarning()
    {
        using var api = Portal.CreateClient(_team.OwnerKey);
        var created = await (await api.PostJsonAsync($"/v1/teams/{_team.TeamId}/secrets", new Dictionary<string, object?>
        {
            ["name"] = "Exports", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIAIOSFODNN7EXA", ["secret_access_key"] = "old-secret" },
        })).AssertStatusAsync(HttpStatusCode.Created);
        var secretId = created["id"]!.GetValue<Guid>();
        var secret = await Portal.WithAsync<PortalDbContext, Secret>(db => db.Secrets.AsNoTracking().SingleAsync(s => s.Id == secretId));

        var (dialogs, result) = await OpenAsync(secret);
        Assert.Contains("Exports", dialogs.Find("[data-testid=request-replaces]").TextContent);
        Assert.Empty(dialogs.FindAll("[data-testid=request-name]"));
        dialogs.Find("#request-note").Change("Please rotate the export key");
        await dialogs.Find("form#request-form").SubmitAsync();

        var link = dialogs.WaitForElement("#request-link").GetAttribute("value")!;
        Assert.StartsWith("http://localhost/requests/", link);
        Assert.Contains("shown only once", dialogs.Find("[data-testid=link-once-warning]").TextContent);
        Assert.NotNull(dialogs.Find("[data-testid=copy-request-link]"));
        var request = Assert.Single(await RequestsAsync());
        Assert.True(request.ForExistingSecret);
        Assert.Equal(secretId, request.SecretId);
        Assert.Equal("Please rotate the export key", request.Note);
        Assert.Equal(CredentialRequestService.DefaultMaxViews, request.MaxViews);
        Assert.Equal(ShownOnceTokens.Hash(link["http://localhost/requests/".Length..]), request.TokenHash);

        await dialogs.Find("[data-testid=request-done]").ClickAsync(new());
        Assert.True(await result);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#request-link")));
    }

    [Fact]
    public async Task ForANewSecret_WithoutNameOrType_ShowsTheErrorsPerField_AndCreatesNothing()
    {
        var (dialogs, _) = await OpenAsync();
        await dialogs.Find("form#request-form").SubmitAsync();

        dialogs.WaitForElement("[data-testid=error-name]");
        Assert.NotNull(dialogs.Find("[data-testid=error-secret_type]"));
        Assert.Empty(dialogs.FindAll("#request-link"));
        Assert.Empty(await RequestsAsync());
    }
}
