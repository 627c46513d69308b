using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Dataraven.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dataraven.Tests.Account;

/// <summary>What an outsider can do to the sign-in, registration and setup forms, posted as a browser posts them.</summary>
public sealed class SignInAbuseTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestPortal _portal = null!;
    private TeamFixture _team = null!;
    private int _nextAddress;

    public async Task InitializeAsync()
    {
        // Open registration: the register form's throttle and timing are under test, not invitations. Identity's
        // production cost per password (100,000 rounds, ~50 ms) instead of the test kit's cheap one: the timing test
        // compares paths that must hash alike, and with a 0.5 ms hash the database writes of a new account decided
        // the ratio (0.49 once in CI) instead of the hash it is about.
        _portal = await TestPortal.StartAsync(new TestPortalOptions
        {
            Settings = { ["Accounts:Registration"] = "open" },
            Services = s => s.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 100_000),
        });
        _team = await _portal.CreateTeamAsync("Acme");
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    /// <summary>A browser at an address no other request of this test used.</summary>
    private SignedInClient.FormClient FreshBrowser()
    {
        var n = Interlocked.Increment(ref _nextAddress);
        return SignedInClient.CreateFormClient(_portal, IPAddress.Parse($"10.1.{n / 250}.{n % 250 + 1}"));
    }

    [Fact]
    public async Task WrongPasswords_FromOutsiders_DoNotLockTheOwnerOut()
    {
        for (var i = 0; i < 20; i++)
        {
            await SignedInClient.SignInAsync(FreshBrowser(), _team.OwnerEmail, $"wrong password {i}");
        }

        var owner = FreshBrowser();
        var response = await SignedInClient.SignInAsync(owner, _team.OwnerEmail, TestPortal.Password);

        output.WriteLine($"after 20 wrong passwords the Owner signed in: {SignedInClient.HasAuthCookie(owner)}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(SignedInClient.HasAuthCookie(owner));
    }

    [Theory]
    [InlineData("/account/login", "login")]
    [InlineData("/account/register", "register")]
    [InlineData("/setup", "setup")]
    public async Task ManyPosts_FromOneAddress_AreThrottledWith429AndRetryAfter(string path, string form)
    {
        var attacker = FreshBrowser();
        var answered = 0;
        HttpResponseMessage? refused = null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50 && refused is null; i++)
        {
            var response = await SignedInClient.PostFormAsync(attacker, path, form, new()
            {
                ["Input.Email"] = $"sprayed-{i}@example.com", ["Input.Password"] = "Winter2026!",
                ["Input.ConfirmPassword"] = "Winter2026!", ["Input.TeamName"] = "Sprayed",
            });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                answered++;
            }
        }
        output.WriteLine($"{path}: {answered} posts answered from one address in {clock.ElapsedMilliseconds} ms before a 429");

        Assert.NotNull(refused);
        Assert.InRange(answered, 1, 10);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to try again");
        Assert.Contains("Too many attempts", await refused.Content.ReadAsStringAsync());

        // Another address is not affected.
        var other = await SignedInClient.SignInAsync(FreshBrowser(), _team.OwnerEmail, TestPortal.Password);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    [Fact]
    public async Task Register_ExistingEmail_AnswersExactlyLikeANewOne()
    {
        var existing = await Register(FreshBrowser(), _team.OwnerEmail);
        var fresh = await Register(FreshBrowser(), "newcomer@example.com");

        output.WriteLine($"existing email: {(int)existing.StatusCode} {existing.Headers.Location}; new email: {(int)fresh.StatusCode} {fresh.Headers.Location}");
        Assert.Equal(fresh.StatusCode, existing.StatusCode);
        Assert.Equal(fresh.Headers.Location, existing.Headers.Location);
        Assert.DoesNotContain("exists already", await existing.Content.ReadAsStringAsync());
        Assert.DoesNotContain(existing.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(SignedInClient.AuthCookie)));

        // The newcomer's account works; the Owner's password was not changed by the second registration.
        Assert.True(SignedInClient.HasAuthCookie(await SignedIn("newcomer@example.com", "registered again 1")));
        Assert.True(SignedInClient.HasAuthCookie(await SignedIn(_team.OwnerEmail, TestPortal.Password)));
        Assert.False(SignedInClient.HasAuthCookie(await SignedIn(_team.OwnerEmail, "registered again 1")));
    }

    [Fact]
    public async Task SignInAndRegister_TakeAsLongForUnknownAccountsAsForKnownOnes()
    {
        // First a portal with the kit's cheap hashing answers an unknown account: a throwaway hash shared by all portals
        // of a process (a static, once) would be the cheap one here too, and unknown accounts would answer in 2 ms.
        await using (var cheap = await TestPortal.StartAsync())
        {
            await cheap.CreateTeamAsync("Cheap"); // a portal without a team sends every page to its setup
            await SignedInClient.SignInAsync(SignedInClient.CreateFormClient(cheap, IPAddress.Parse("10.9.0.1")), "nobody@example.com", "warm up");
        }
        // Warm up both paths (JIT, first database connection).
        await SignedInClient.SignInAsync(FreshBrowser(), _team.OwnerEmail, "warm up");
        await SignedInClient.SignInAsync(FreshBrowser(), "nobody@example.com", "warm up");

        var known = new List<double>();
        var unknown = new List<double>();
        var registerExisting = new List<double>();
        var registerNew = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            known.Add(await TimeAsync((b, t) => SignedInClient.SignInAsync(b, _team.OwnerEmail, $"wrong {i}", t)));
            unknown.Add(await TimeAsync((b, t) => SignedInClient.SignInAsync(b, $"nobody-{i}@example.com", $"wrong {i}", t)));
            registerExisting.Add(await TimeAsync((b, t) => Register(b, _team.OwnerEmail, t)));
            registerNew.Add(await TimeAsync((b, t) => Register(b, $"new-{i}@example.com", t)));
        }
        output.WriteLine($"sign-in: fastest {known.Min():F0} ms (median {Median(known):F0}) for a real account vs {unknown.Min():F0} ms (median {Median(unknown):F0}) for an unknown one");
        output.WriteLine($"register: {Median(registerExisting):F0} ms for an existing email vs {Median(registerNew):F0} ms for a new one");

        // Ratios of the fastest of each, measured interleaved in the same run: noise on a loaded machine only adds
        // time, so the minimum is the work itself. Equal work gives ~1; a skipped password hash gave 0.13.
        Assert.InRange(unknown.Min() / known.Min(), 0.5, 2.0);
        Assert.InRange(registerExisting.Min() / registerNew.Min(), 0.5, 2.0);
    }

    /// <summary>The time of the POST alone (the form page is fetched first).</summary>
    private async Task<double> TimeAsync(Func<SignedInClient.FormClient, string, Task<HttpResponseMessage>> post)
    {
        var browser = FreshBrowser();
        var token = await SignedInClient.GetTokenAsync(browser);
        var clock = Stopwatch.StartNew();
        var response = await post(browser, token);
        clock.Stop();
        Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private async Task<SignedInClient.FormClient> SignedIn(string email, string password)
    {
        var browser = FreshBrowser();
        await SignedInClient.SignInAsync(browser, email, password);
        return browser;
    }

    private static Task<HttpResponseMessage> Register(HttpClient browser, string email, string? token = null) =>
        SignedInClient.PostFormAsync(browser, "/account/register", "register", new()
        {
            ["Input.Email"] = email, ["Input.Password"] = "registered again 1", ["Input.ConfirmPassword"] = "registered again 1",
        }, token);
}
