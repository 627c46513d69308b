using System.Net;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Account;

/// <summary>A form answered again after a failure (wrong password, invalid input) must not carry the typed password.</summary>
public sealed class PasswordEchoTests : IAsyncLifetime
{
    private const string Typed = "Typed-Secret-Passw0rd";
    private TestPortal _portal = null!;

    // Open registration: the register form is under test, not invitations.
    public async Task InitializeAsync() =>
        _portal = await TestPortal.StartAsync(new TestPortalOptions { Settings = { ["Accounts:Registration"] = "open" } });

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task FailedSignIn_AnswersTheFormWithoutThePassword()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var browser = SignedInClient.CreateFormClient(_portal, IPAddress.Parse("10.2.0.1"));

        var response = await SignedInClient.SignInAsync(browser, team.OwnerEmail, Typed);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", html);
        Assert.Contains(team.OwnerEmail, html);
        Assert.DoesNotContain(Typed, html);
    }

    [Fact]
    public async Task RejectedRegistration_AnswersTheFormWithoutEitherPassword()
    {
        await _portal.CreateTeamAsync("Acme");
        var form = await PageForm.LoadAsync(_portal, "/account/register");

        var response = await form.SubmitAsync("register", new Dictionary<string, string>
        {
            ["Input.Email"] = "new@example.com", ["Input.Password"] = Typed, ["Input.ConfirmPassword"] = Typed + "-other",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The passwords do not match.", html);
        Assert.DoesNotContain(Typed, html);
    }

    [Fact]
    public async Task RejectedSetup_AnswersTheFormWithoutEitherPassword()
    {
        var form = await PageForm.LoadAsync(_portal, "/setup");

        var response = await form.SubmitAsync("setup", new Dictionary<string, string>
        {
            ["Input.TeamName"] = "Acme", ["Input.Email"] = "founder@example.com",
            ["Input.Password"] = Typed, ["Input.ConfirmPassword"] = Typed + "-other",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The passwords do not match.", html);
        Assert.Contains("founder@example.com", html);
        Assert.DoesNotContain(Typed, html);
    }
}
