using Dataraven.Core.Secrets.Catalog;

namespace Dataraven.Tests.Unit.Validation;

public class SecretCatalogTests
{
    /// <summary>An explicit copy of the DESIGN.md table "Secret types, auth methods, credential fields".</summary>
    private static readonly (string Type, string Method, string[] Fields)[] DesignTable =
    [
        ("s3", "s3_access_key", ["access_key_id", "secret_access_key"]),
        ("azure_blob", "azure_account_key", ["account_name", "account_key"]),
        ("azure_blob", "azure_sas_url", ["sas_url"]),
        ("gcs", "gcs_service_account", ["service_account_json"]),
        ("r2", "r2_access_key", ["access_key_id", "secret_access_key"]),
        ("b2", "b2_application_key", ["application_key_id", "application_key"]),
        ("wasabi", "wasabi_access_key", ["access_key_id", "secret_access_key"]),
        ("railway", "railway_access_key", ["access_key_id", "secret_access_key"]),
        ("oracle_object_storage_s3", "oracle_object_storage_s3_access_key", ["access_key_id", "secret_access_key"]),
        ("s3_compatible", "s3_compatible_access_key", ["access_key_id", "secret_access_key"]),
        ("tigris", "tigris_access_key", ["access_key_id", "secret_access_key"]),
        ("digitalocean_spaces", "digitalocean_spaces_access_key", ["access_key_id", "secret_access_key"]),
        ("hetzner", "hetzner_access_key", ["access_key_id", "secret_access_key"]),
        ("rabata", "rabata_access_key", ["access_key_id", "secret_access_key"]),
    ];

    [Fact]
    public void All_MatchesDesignTable_Exactly()
    {
        var actual = SecretCatalog.All
            .SelectMany(t => t.AuthMethods.Select(m => $"{t.Id}/{m.Id}: {string.Join(",", m.Fields.Select(f => f.Name))}"))
            .ToArray();
        var expected = DesignTable.Select(r => $"{r.Type}/{r.Method}: {string.Join(",", r.Fields)}").ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void All_HasThirteenUniqueTypes()
    {
        Assert.Equal(13, SecretCatalog.All.Count);
        Assert.Equal(SecretCatalog.All.Count, SecretCatalog.All.Select(t => t.Id).Distinct().Count());
        Assert.Equal(DesignTable.Select(r => r.Type).Distinct(), SecretCatalog.All.Select(t => t.Id));
    }

    [Fact]
    public void All_EveryEntryDescribedForTheUi()
    {
        foreach (var type in SecretCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(type.DisplayName), type.Id);
            Assert.False(string.IsNullOrWhiteSpace(type.Icon), type.Id);
            Assert.Matches("^[A-Z][A-Z0-9_]*$", type.ReferenceHint);
            Assert.NotEmpty(type.AuthMethods);
            foreach (var method in type.AuthMethods)
            {
                Assert.False(string.IsNullOrWhiteSpace(method.DisplayName), method.Id);
                Assert.NotEmpty(method.Fields);
                Assert.Equal(method.Fields.Count, method.Fields.Select(f => f.Name).Distinct().Count());
                foreach (var field in method.Fields)
                {
                    Assert.Matches("^[a-z][a-z0-9_]*$", field.Name);
                    Assert.False(string.IsNullOrWhiteSpace(field.Label), field.Name);
                    Assert.True(field.HelpText.Length > 20, $"{method.Id}.{field.Name} needs help text saying where to find it");
                    Assert.True(field.MaxLength > 0);
                }
            }
        }
    }

    [Theory]
    [InlineData("sas_url", CredentialCheck.HttpsUrlWithSig, false, true)]
    [InlineData("service_account_json", CredentialCheck.ServiceAccountJson, true, true)]
    [InlineData("secret_access_key", CredentialCheck.NonEmpty, false, true)]
    [InlineData("account_key", CredentialCheck.NonEmpty, false, true)]
    [InlineData("application_key", CredentialCheck.NonEmpty, false, true)]
    [InlineData("access_key_id", CredentialCheck.NonEmpty, false, false)]
    [InlineData("account_name", CredentialCheck.NonEmpty, false, false)]
    [InlineData("application_key_id", CredentialCheck.NonEmpty, false, false)]
    public void All_FieldPresentation_MatchesFieldKind(string fieldName, CredentialCheck check, bool multiline, bool secret)
    {
        var fields = SecretCatalog.All.SelectMany(t => t.AuthMethods).SelectMany(m => m.Fields).Where(f => f.Name == fieldName).ToList();

        Assert.NotEmpty(fields);
        Assert.All(fields, f =>
        {
            Assert.Equal(check, f.Check);
            Assert.Equal(multiline, f.Multiline);
            Assert.Equal(secret, f.IsSecret);
        });
    }

    [Fact]
    public void Find_KnownAndUnknown_ReturnsEntryOrNull()
    {
        Assert.Equal("Amazon S3", SecretCatalog.Find("s3")?.DisplayName);
        Assert.Null(SecretCatalog.Find("S3"));
        Assert.Null(SecretCatalog.Find("ftp"));
        Assert.Null(SecretCatalog.Find(null));
    }

    [Fact]
    public void FindAuthMethod_MethodOfAnotherType_ReturnsNull()
    {
        Assert.Equal(new[] { "sas_url" }, SecretCatalog.FindAuthMethod("azure_blob", "azure_sas_url")!.FieldNames);
        Assert.Null(SecretCatalog.FindAuthMethod("s3", "azure_sas_url"));
        Assert.Null(SecretCatalog.FindAuthMethod("s3", null));
        Assert.Null(SecretCatalog.FindAuthMethod(null, "s3_access_key"));
    }
}
