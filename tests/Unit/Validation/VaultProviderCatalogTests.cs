using System.Text.Json;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultConnections.Catalog;
using Dataraven.Core.VaultProviders;
using Dataraven.Portal.Components.Shared;

namespace Dataraven.Tests.Unit.Validation;

public class VaultProviderCatalogTests
{
    /// <summary>An explicit copy of DESIGN.md's vault connection fields: (vault_type, credentials, settings, required settings).</summary>
    private static readonly (string Type, string[] Credentials, string[] Settings, string[] RequiredSettings)[] DesignTable =
    [
        ("onepassword", ["access_token"], ["vault"], []),
        ("doppler", ["access_token"], ["project", "config"], ["project", "config"]),
        ("infisical", ["client_id", "client_secret"], ["project_id", "environment", "secret_path"], ["project_id", "environment"]),
    ];

    private static readonly JsonSerializerOptions Api = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static TheoryData<string> WireNames() => new(VaultProviderCatalog.WireNames);

    [Fact]
    public void All_OneEntryPerVaultType()
    {
        Assert.Equal(Enum.GetValues<VaultType>(), VaultProviderCatalog.All.Select(p => p.Type).Order());
        Assert.Equal(VaultProviderCatalog.All.Select(p => p.Type), VaultTypes.All);
    }

    [Fact]
    public void All_MatchesDesignTable_Exactly()
    {
        Assert.Equal(DesignTable.Select(r => r.Type), VaultProviderCatalog.WireNames);
        foreach (var (type, credentials, settings, required) in DesignTable)
        {
            var provider = VaultProviderCatalog.Find(type)!;
            Assert.Equal(credentials, provider.Credentials.Select(f => f.WireName));
            Assert.Equal(settings, provider.Settings.Select(f => f.WireName));
            Assert.Equal(required, provider.Settings.Where(f => f.Required).Select(f => f.WireName));
            Assert.All(provider.Credentials, f => Assert.True(f.Required, f.WireName));
        }
    }

    [Fact]
    public void All_WireNamesUniqueLowerCase()
    {
        Assert.Equal(VaultProviderCatalog.All.Count, VaultProviderCatalog.WireNames.Distinct().Count());
        Assert.All(VaultProviderCatalog.WireNames, w => Assert.Matches("^[a-z]+$", w));
        Assert.All(VaultProviderCatalog.All, p => Assert.Equal(p.Fields.Count(), p.Fields.Select(f => f.WireName).Distinct().Count()));
    }

    [Fact]
    public void All_CredentialFieldsSecretExceptTheClientId_SettingsNot()
    {
        // The Infisical client ID only names the machine identity; the client secret is what grants access.
        Assert.All(VaultProviderCatalog.All.SelectMany(p => p.Credentials), f => Assert.Equal(f.WireName != "client_id", f.IsSecret));
        Assert.All(VaultProviderCatalog.All.SelectMany(p => p.Settings), f => Assert.False(f.IsSecret, f.WireName));
    }

    [Fact]
    public void All_SameWireNameMeansTheSameField()
    {
        foreach (var group in VaultProviderCatalog.All.SelectMany(p => p.Fields).GroupBy(f => f.WireName))
        {
            Assert.Single(group.Select(f => (f.NameInMessages, f.IsSecret, f.MaxLength, f.Format, f.Required)).Distinct());
        }
    }

    [Theory]
    [InlineData(VaultType.OnePassword, "ops_")]
    [InlineData(VaultType.Doppler, "dp.st.")]
    [InlineData(VaultType.Infisical, null)]
    public void TokenPrefix_MatchesDesign_AndTheFieldsThatCheckIt(VaultType type, string? prefix)
    {
        var provider = VaultProviderCatalog.Get(type);

        Assert.Equal(prefix, provider.TokenPrefix);
        Assert.Equal(prefix, VaultConnectionRules.TokenPrefix(type));
        Assert.Equal(prefix is not null, provider.Fields.Any(f => f.Format == VaultFieldFormat.TokenPrefix));
        Assert.All(provider.Fields.Where(f => f.Format == VaultFieldFormat.TokenPrefix), f => Assert.Equal($"{prefix}…", f.Placeholder));
    }

    [Fact]
    public void All_EveryEntryDescribedForTheUiAndDocs()
    {
        foreach (var provider in VaultProviderCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(provider.DisplayName), provider.WireName);
            Assert.True(provider.Tagline.Length > 20, provider.WireName);
            Assert.Matches("^#[0-9a-f]{6}$", provider.LogoColor);
            Assert.InRange(provider.LogoText.Length, 1, 2);
            Assert.True(Uri.TryCreate(provider.DocumentationUrl, UriKind.Absolute, out var docs) && docs.Scheme == Uri.UriSchemeHttps,
                $"{provider.WireName}: documentation link must be an absolute https URL");
            Assert.True(provider.References.Description.Length > 20, provider.WireName);
            Assert.True(provider.References.Pattern.IsMatch(provider.References.Example("AWS", "access_key_id")), provider.WireName);
            Assert.NotEmpty(provider.Credentials);
            foreach (var field in provider.Fields)
            {
                var what = $"{provider.WireName}.{field.WireName}";
                Assert.False(string.IsNullOrWhiteSpace(field.Label), what);
                Assert.True(field.Hint.Length > 20, $"{what} needs a hint saying where to find it");
                Assert.True(field.MaxLength > 0, what);
                Assert.Equal(field.Format is VaultFieldFormat.Uuid or VaultFieldFormat.Slug or VaultFieldFormat.AbsolutePath,
                    field.FormatMessage is not null);
                Assert.True(field.Required || field.Default is not null || field.NotEmptyWhenGiven,
                    $"{what}: an optional field needs a default, or must be left out rather than sent empty");
            }
        }
    }

    [Fact]
    public void CredentialSummary_NamesEveryCredential()
    {
        Assert.Equal(["Service account token", "Service token", "Client ID and client secret"],
            VaultProviderCatalog.All.Select(p => p.CredentialSummary));
    }

    [Fact]
    public void SettingsSummary_ShowsTheSettingsThatPickTheSecrets()
    {
        var settings = new VaultConnectionSettings("backend", "prd", Guid.Empty.ToString(), "prod", "/storage");

        Assert.Equal(["every vault the token reaches", "backend / prd", "environment prod, path /storage"],
            VaultProviderCatalog.All.Select(p => p.SettingsSummary?.Invoke(settings)));
        Assert.Equal("vault DevOps", VaultProviderCatalog.Get(VaultType.OnePassword).SettingsSummary!(settings with { Vault = "DevOps" }));
    }

    [Theory]
    [MemberData(nameof(WireNames))]
    public void Fields_WireNamesAreTheCreateRequestsSerializedNames(string vaultType)
    {
        foreach (var field in VaultProviderCatalog.Find(vaultType)!.Fields)
        {
            var request = new CreateVaultConnectionRequest();
            request.SetValue(field.WireName, "marker");

            var json = JsonDocument.Parse(JsonSerializer.Serialize(request, Api)).RootElement;

            Assert.Equal("marker", request.Value(field.WireName));
            Assert.Equal("marker", json.GetProperty(field.WireName).GetString());
        }
    }

    [Theory]
    [MemberData(nameof(WireNames))]
    public void Credentials_WireNamesAreTheRotateRequestsSerializedNames(string vaultType)
    {
        foreach (var field in VaultProviderCatalog.Find(vaultType)!.Credentials)
        {
            var request = new RotateVaultConnectionRequest();
            request.SetValue(field.WireName, "marker");

            var json = JsonDocument.Parse(JsonSerializer.Serialize(request, Api)).RootElement;

            Assert.Equal("marker", request.Value(field.WireName));
            Assert.Equal("marker", json.GetProperty(field.WireName).GetString());
        }
    }

    [Fact]
    public void Normalize_TrimsUnlessVerbatim_DefaultsWhenEmpty()
    {
        var infisical = VaultProviderCatalog.Get(VaultType.Infisical);
        var field = (string wire) => infisical.Fields.Single(f => f.WireName == wire);

        Assert.Equal("prod", field("environment").Normalize(" prod "));
        Assert.Equal(" secret ", field("client_secret").Normalize(" secret "));
        Assert.Equal("/", field("secret_path").Normalize(null));
        Assert.Equal("/", field("secret_path").Normalize(""));
        Assert.Equal("/storage", field("secret_path").Normalize("/storage "));
    }

    [Fact]
    public void Find_KnownAndUnknown_ReturnsEntryOrNull()
    {
        Assert.Equal(VaultType.Doppler, VaultProviderCatalog.Find("doppler")?.Type);
        Assert.Null(VaultProviderCatalog.Find("Doppler"));
        Assert.Null(VaultProviderCatalog.Find("hashicorp"));
        Assert.Null(VaultProviderCatalog.Find(null));
    }

    [Theory]
    [InlineData("Starts with `ops_`.", "Starts with <code>ops_</code>.")]
    [InlineData("At [my.1password.com](https://my.1password.com): Developer Tools",
        "At <a href=\"https://my.1password.com\" target=\"_blank\" rel=\"noopener\">my.1password.com</a>: Developer Tools")]
    [InlineData("Project → Config <b>x</b>", "Project → Config &lt;b&gt;x&lt;/b&gt;")]
    public void InlineMarkdown_RendersCodeAndLinksWithoutParagraph(string markdown, string html)
    {
        Assert.Equal(html, InlineMarkdown.ToHtml(markdown));
    }

    [Fact]
    public void Hints_AllMarkupInterpreted()
    {
        var hints = VaultProviderCatalog.All.SelectMany(p => p.Fields).SelectMany(f => new[] { f.Hint, f.RotateHint }).OfType<string>();

        // A backtick or link bracket left in the output is Markdown that did not parse (an unclosed code span, a broken link).
        Assert.All(hints, hint => Assert.DoesNotMatch("`|\\]\\(", InlineMarkdown.ToHtml(hint)));
    }
}
