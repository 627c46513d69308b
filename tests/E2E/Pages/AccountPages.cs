namespace Dataraven.Tests.E2E.Pages;

/// <summary>/setup: the first team and its Owner on a fresh portal (a static form).</summary>
public sealed class SetupPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public async Task<OverviewPage> CreateTeamAsync(string teamName, string email, string password)
    {
        await Page.GetByLabel(Selectors.TeamName).FillAsync(teamName);
        await Page.GetByLabel(Selectors.Email).FillAsync(email);
        await Page.GetByLabel(Selectors.Password, new() { Exact = true }).FillAsync(password);
        await Page.GetByLabel(Selectors.ConfirmPassword).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Submit }).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var overview = new OverviewPage(Page);
        await overview.WaitForInteractiveAsync();
        return overview;
    }

    private static class Selectors
    {
        internal const string TeamName = "Team name";
        internal const string Email = "Your email";
        internal const string Password = "Password";
        internal const string ConfirmPassword = "Confirm password";
        internal const string Submit = "Create team and Owner";
    }
}

/// <summary>/account/login (a static form).</summary>
public sealed class LoginPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Error => Page.GetByTestId(Selectors.Error);

    public static async Task<LoginPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        return new LoginPage(page);
    }

    public async Task SubmitAsync(string email, string password)
    {
        await Page.GetByLabel(Selectors.Email).FillAsync(email);
        await Page.GetByLabel(Selectors.Password).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Submit, Exact = true }).ClickAsync();
    }

    /// <summary>Passwordless: "Sign in with a passkey", answered by the browser's authenticator.</summary>
    public async Task<OverviewPage> SignInWithPasskeyAsync()
    {
        await Page.GetByTestId(Selectors.PasskeySignIn).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var overview = new OverviewPage(Page);
        await overview.WaitForInteractiveAsync();
        return overview;
    }

    public async Task<OverviewPage> SignInAsync(string email, string password)
    {
        await SubmitAsync(email, password);
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var overview = new OverviewPage(Page);
        await overview.WaitForInteractiveAsync();
        return overview;
    }

    private static class Selectors
    {
        internal const string Path = "/account/login";
        internal const string Email = "Email";
        internal const string Password = "Password";
        internal const string Submit = "Sign in";
        internal const string Error = "login-error";
        internal const string PasskeySignIn = "passkey-sign-in";
    }
}

/// <summary>/invitations/{token}: an invitation's link (a static page).</summary>
public sealed class InvitationPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Summary => Page.GetByTestId(Selectors.Summary);

    public ILocator Closed => Page.GetByTestId(Selectors.Closed);

    public static async Task<InvitationPage> OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        return new InvitationPage(page);
    }

    /// <summary>Not signed in: creates the account for the invited email, signs in, and comes back to this page.</summary>
    public async Task RegisterAndSignInAsync(string email, string password)
    {
        var here = new Uri(Page.Url).AbsolutePath;
        await Page.Locator(Selectors.Register).ClickAsync();
        await Assertions.Expect(Page.GetByLabel(Selectors.Email)).ToHaveValueAsync(email);
        await Page.GetByLabel(Selectors.Password, new() { Exact = true }).FillAsync(password);
        await Page.GetByLabel(Selectors.ConfirmPassword).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.CreateAccount }).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await new LoginPage(Page).SubmitAsync(email, password);
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == here);
    }

    public async Task<OverviewPage> JoinAsync()
    {
        await Page.Locator(Selectors.Join).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var overview = new OverviewPage(Page);
        await overview.WaitForInteractiveAsync();
        return overview;
    }

    private static class Selectors
    {
        internal const string Summary = "invitation-summary";
        internal const string Closed = "invitation-closed";
        internal const string Register = "#register-to-join";
        internal const string Join = "#join-team";
        internal const string Email = "Email";
        internal const string Password = "Password";
        internal const string ConfirmPassword = "Confirm password";
        internal const string CreateAccount = "Create account";
    }
}

/// <summary>/account/register (a static form).</summary>
public sealed class RegisterPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator InviteOnly => Page.GetByTestId("invite-only");

    public static async Task<RegisterPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        return new RegisterPage(page);
    }

    /// <summary>Registers, then signs in on the sign-in page the registration leads to.</summary>
    public async Task<OverviewPage> RegisterAsync(string email, string password)
    {
        await Page.GetByLabel(Selectors.Email).FillAsync(email);
        await Page.GetByLabel(Selectors.Password, new() { Exact = true }).FillAsync(password);
        await Page.GetByLabel(Selectors.ConfirmPassword).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Submit }).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        return await new LoginPage(Page).SignInAsync(email, password);
    }

    private static class Selectors
    {
        internal const string Path = "/account/register";
        internal const string Email = "Email";
        internal const string Password = "Password";
        internal const string ConfirmPassword = "Confirm password";
        internal const string Submit = "Create account";
    }
}

/// <summary>/account/security: the authenticator app and the password (static forms).</summary>
public sealed class SecurityPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator AuthenticatorKey => Page.GetByTestId(Selectors.AuthenticatorKey);
    public ILocator RecoveryCodes => Page.GetByTestId(Selectors.RecoveryCodes).Locator("code");
    public ILocator Status => Page.GetByTestId(Selectors.Status);

    public static async Task<SecurityPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).WaitForAsync();
        return new SecurityPage(page);
    }

    public async Task StartAuthenticatorAsync()
    {
        await Page.GetByTestId(Selectors.AddAuthenticator).ClickAsync();
        await AuthenticatorKey.WaitForAsync();
    }

    public async Task VerifyAsync(string code)
    {
        await Page.GetByLabel(Selectors.Code, new() { Exact = true }).FillAsync(code);
        await Page.GetByTestId(Selectors.Verify).ClickAsync();
    }

    public ILocator Notice => Page.GetByTestId(Selectors.Notice);
    public ILocator PasskeyNames => Page.GetByTestId(Selectors.PasskeyLabel);
    public ILocator NoPasskeys => Page.GetByTestId(Selectors.NoPasskeys);
    public ILocator PasskeyError => Page.GetByTestId(Selectors.PasskeyError);

    /// <summary>Names the new passkey and adds it: the browser's authenticator (a virtual one in tests) makes it.</summary>
    public async Task AddPasskeyAsync(string name)
    {
        await Page.GetByLabel(Selectors.PasskeyName).FillAsync(name);
        await Page.GetByTestId(Selectors.AddPasskey).ClickAsync();
        await Page.WaitForLoadStateAsync();
    }

    public async Task RenamePasskeyAsync(string current, string name)
    {
        var row = Passkey(current);
        await row.GetByText(Selectors.Rename, new() { Exact = true }).First.ClickAsync();
        await row.GetByTestId(Selectors.NewName).FillAsync(name);
        await row.GetByTestId(Selectors.RenameSubmit).ClickAsync();
    }

    public async Task RemovePasskeyAsync(string name)
    {
        var row = Passkey(name);
        await row.GetByText(Selectors.Remove, new() { Exact = true }).ClickAsync();
        await row.GetByTestId(Selectors.RemoveSubmit).ClickAsync();
    }

    private ILocator Passkey(string name) =>
        Page.GetByTestId(Selectors.PasskeyRow).Filter(new() { Has = Page.GetByTestId(Selectors.PasskeyLabel).GetByText(name, new() { Exact = true }) });

    private static class Selectors
    {
        internal const string Path = "/account/security";
        internal const string Notice = "security-notice";
        internal const string PasskeyName = "Name of the new passkey";
        internal const string AddPasskey = "add-passkey";
        internal const string PasskeyRow = "passkey";
        internal const string PasskeyLabel = "passkey-label";
        internal const string NoPasskeys = "passkeys-empty";
        internal const string PasskeyError = "passkey-error";
        internal const string Rename = "Rename";
        internal const string NewName = "passkey-new-name";
        internal const string RenameSubmit = "rename-passkey";
        internal const string Remove = "Remove";
        internal const string RemoveSubmit = "remove-passkey";
        internal const string AuthenticatorKey = "authenticator-key";
        internal const string RecoveryCodes = "recovery-codes";
        internal const string Status = "authenticator-status";
        internal const string AddAuthenticator = "add-authenticator";
        internal const string Code = "Code";
        internal const string Verify = "verify-authenticator";
    }
}

/// <summary>/account/login/two-factor: the step after the password for accounts with a second factor.</summary>
public sealed class TwoFactorStepPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator Error => Page.GetByTestId(Selectors.Error);
    public ILocator CodeField => Page.GetByLabel(Selectors.Code, new() { Exact = true });

    public async Task SubmitAsync(string code)
    {
        await CodeField.FillAsync(code);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Submit }).ClickAsync();
    }

    /// <summary>"Use a passkey" instead of a code; the browser's authenticator answers.</summary>
    public async Task<OverviewPage> SignInWithPasskeyAsync()
    {
        await Page.GetByTestId("two-factor-passkey").ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var overview = new OverviewPage(Page);
        await overview.WaitForInteractiveAsync();
        return overview;
    }

    public async Task<OverviewPage> SignInAsync(string code)
    {
        await SubmitAsync(code);
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var overview = new OverviewPage(Page);
        await overview.WaitForInteractiveAsync();
        return overview;
    }

    private static class Selectors
    {
        internal const string Code = "Code";
        internal const string Submit = "Verify";
        internal const string Error = "two-factor-error";
    }
}
