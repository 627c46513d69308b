using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections;
using static Dataraven.Tests.Unit.Validation.ValidationSamples;

namespace Dataraven.Tests.Unit.Validation;

public class SecretValidatorTests
{
    private static readonly SecretValidator DirectValidator = new();

    public static TheoryData<string, string> AuthMethods()
    {
        var data = new TheoryData<string, string>();
        foreach (var (type, method) in AllAuthMethods()) data.Add(type, method.Id);
        return data;
    }

    public static TheoryData<string, string, string> Fields()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (type, method) in AllAuthMethods())
        {
            foreach (var field in method.Fields) data.Add(type, method.Id, field.Name);
        }
        return data;
    }

    public static TheoryData<VaultType, string, string> VaultTypesAndAuthMethods()
    {
        var data = new TheoryData<VaultType, string, string>();
        foreach (var vault in VaultTypes.All)
        {
            foreach (var (type, method) in AllAuthMethods()) data.Add(vault, type, method.Id);
        }
        return data;
    }

    public static TheoryData<VaultType, string, string, string> VaultTypesAndFields()
    {
        var data = new TheoryData<VaultType, string, string, string>();
        foreach (var vault in VaultTypes.All)
        {
            foreach (var (type, method) in AllAuthMethods())
            {
                foreach (var field in method.Fields) data.Add(vault, type, method.Id, field.Name);
            }
        }
        return data;
    }

    /// <summary>Extra keys per auth method: fields of other auth methods, plus an invented one.</summary>
    public static TheoryData<string, string, string> ExtraFields()
    {
        var allNames = AllAuthMethods().SelectMany(x => x.Method.FieldNames).Append("region").Append("ACCESS_KEY_ID").Distinct().ToList();
        var data = new TheoryData<string, string, string>();
        foreach (var (type, method) in AllAuthMethods())
        {
            foreach (var extra in allNames.Except(method.FieldNames)) data.Add(type, method.Id, extra);
        }
        return data;
    }

    private static readonly string[] BadSasUrls =
    [
        "http://acme.blob.core.windows.net/backups?sv=2022-11-02&sig=abc",
        "https://acme.blob.core.windows.net/backups?sv=2022-11-02",
        "https://acme.blob.core.windows.net/backups?sv=2022-11-02&sig=",
        "https://acme.blob.core.windows.net/backups",
        "acme.blob.core.windows.net/backups?sig=abc",
        "ftp://acme.blob.core.windows.net/backups?sig=abc",
        "not a url",
    ];

    private static readonly string[] BadServiceAccountJson =
    [
        "not json",
        "{\"type\": \"service_account\",",
        "[]",
        "\"service_account\"",
        "42",
        """{"type": "authorized_user", "client_email": "a@b.c", "private_key": "k"}""",
        """{"client_email": "a@b.c", "private_key": "k"}""",
        """{"type": "service_account", "private_key": "k"}""",
        """{"type": "service_account", "client_email": "a@b.c"}""",
        """{"type": "service_account", "client_email": "", "private_key": "k"}""",
        """{"type": "service_account", "client_email": "a@b.c", "private_key": 7}""",
    ];

    public static TheoryData<string, string, string, string> MalformedValues()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (type, method) in AllAuthMethods())
        {
            foreach (var field in method.Fields)
            {
                var bad = field.Check switch
                {
                    CredentialCheck.HttpsUrlWithSig => BadSasUrls,
                    CredentialCheck.ServiceAccountJson => BadServiceAccountJson,
                    _ => [],
                };
                foreach (var value in bad) data.Add(type, method.Id, field.Name, value);
            }
        }
        return data;
    }

    [Fact]
    public void MalformedValues_CoverEveryShapeCheck()
    {
        var checkedKinds = AllAuthMethods().SelectMany(x => x.Method.Fields).Select(f => f.Check).Distinct().ToList();
        Assert.Contains(CredentialCheck.HttpsUrlWithSig, checkedKinds);
        Assert.Contains(CredentialCheck.ServiceAccountJson, checkedKinds);
        Assert.Equal(BadSasUrls.Length + BadServiceAccountJson.Length, MalformedValues().Count());
    }

    // ---- direct credentials ----

    [Theory]
    [MemberData(nameof(AuthMethods))]
    public void Validate_ValidDirectCreate_Passes(string secretType, string authMethod)
    {
        var result = DirectValidator.Validate(DirectSecret(secretType, authMethod));

        Assert.True(result.IsValid, result.Describe());
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Validate_CredentialMissing_FailsOnThatField(string secretType, string authMethod, string field)
    {
        var request = DirectSecret(secretType, authMethod);
        request.Credentials!.Remove(field);

        var result = DirectValidator.Validate(request);

        Assert.Equal(new[] { $"credentials.{field}" }, result.Errors().Keys);
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Validate_CredentialEmpty_FailsOnThatField(string secretType, string authMethod, string field)
    {
        foreach (var blank in new[] { "", " ", "\n\t" })
        {
            var request = DirectSecret(secretType, authMethod);
            request.Credentials![field] = blank;

            var result = DirectValidator.Validate(request);

            Assert.Equal(new[] { $"credentials.{field}" }, result.Errors().Keys);
        }
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Validate_CredentialOverMaxLength_FailsOnThatField(string secretType, string authMethod, string field)
    {
        var definition = Method(secretType, authMethod).FindField(field)!;
        var request = DirectSecret(secretType, authMethod);
        request.Credentials![field] = ValidValue(definition) + new string('x', definition.MaxLength);

        var result = DirectValidator.Validate(request);

        Assert.Equal(new[] { $"credentials.{field}" }, result.Errors().Keys);
    }

    [Theory]
    [MemberData(nameof(ExtraFields))]
    public void Validate_ExtraCredential_FailsOnTheExtraField(string secretType, string authMethod, string extra)
    {
        var request = DirectSecret(secretType, authMethod);
        request.Credentials![extra] = "value";

        var result = DirectValidator.Validate(request);

        Assert.Equal(new[] { $"credentials.{extra}" }, result.Errors().Keys);
    }

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public void Validate_MalformedCredential_FailsOnThatField(string secretType, string authMethod, string field, string value)
    {
        var request = DirectSecret(secretType, authMethod);
        request.Credentials![field] = value;

        var result = DirectValidator.Validate(request);

        Assert.Equal(new[] { $"credentials.{field}" }, result.Errors().Keys);
        Assert.DoesNotContain(value, Assert.Single(result.Errors()[$"credentials.{field}"]));
    }

    [Fact]
    public void Validate_EmptyCredentials_NamesEveryField()
    {
        var request = DirectSecret("s3", "s3_access_key");
        request.Credentials = [];

        var result = DirectValidator.Validate(request);

        Assert.Equal(new[] { "credentials.access_key_id", "credentials.secret_access_key" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_NonEmptyValue_IsNotEchoedInMessages()
    {
        var request = DirectSecret("s3", "s3_access_key");
        request.Credentials!["secret_access_key"] = "wJalrXUtnFEMI/K7MDENG/" + new string('x', 5000);

        var message = Assert.Single(DirectValidator.Validate(request).Errors()["credentials.secret_access_key"]);

        Assert.DoesNotContain("wJalrXUtnFEMI", message);
    }

    // ---- vault mappings ----

    [Theory]
    [MemberData(nameof(VaultTypesAndAuthMethods))]
    public void Validate_ValidVaultCreate_Passes(VaultType vault, string secretType, string authMethod)
    {
        var result = new SecretValidator(vault).Validate(VaultSecret(vault, secretType, authMethod));

        Assert.True(result.IsValid, result.Describe());
    }

    [Theory]
    [MemberData(nameof(VaultTypesAndFields))]
    public void Validate_MappingMissing_FailsOnFieldMappingsNamingTheField(VaultType vault, string secretType, string authMethod, string field)
    {
        var request = VaultSecret(vault, secretType, authMethod);
        request.FieldMappings!.RemoveAll(m => m.FieldName == field);

        var result = new SecretValidator(vault).Validate(request);

        Assert.Equal(new[] { "field_mappings" }, result.Errors().Keys);
        Assert.Contains(field, Assert.Single(result.Errors()["field_mappings"]));
    }

    [Theory]
    [MemberData(nameof(VaultTypesAndFields))]
    public void Validate_MappingDuplicated_FailsOnTheDuplicate(VaultType vault, string secretType, string authMethod, string field)
    {
        var request = VaultSecret(vault, secretType, authMethod);
        var index = request.FieldMappings!.Count;
        request.FieldMappings.Add(new FieldMappingRequest { FieldName = field, Reference = ReferenceSyntax.Example(vault, field) });

        var result = new SecretValidator(vault).Validate(request);

        Assert.Equal(new[] { $"field_mappings[{index}].field_name" }, result.Errors().Keys);
    }

    [Theory]
    [MemberData(nameof(VaultTypesAndAuthMethods))]
    public void Validate_MappingOfUnknownField_FailsOnItsFieldName(VaultType vault, string secretType, string authMethod)
    {
        var request = VaultSecret(vault, secretType, authMethod);
        request.FieldMappings!.Insert(0, new FieldMappingRequest { FieldName = "region", Reference = ReferenceSyntax.Example(vault, "region") });

        var result = new SecretValidator(vault).Validate(request);

        Assert.Equal(new[] { "field_mappings[0].field_name" }, result.Errors().Keys);
    }

    public static TheoryData<VaultType, string> InvalidReferences() => new()
    {
        { VaultType.OnePassword, "AWS_ACCESS_KEY_ID" },
        { VaultType.OnePassword, "op://DevOps/AWS" },
        { VaultType.Doppler, "op://DevOps/AWS-Prod/access_key_id" },
        { VaultType.Doppler, "aws_access_key_id" },
        { VaultType.Infisical, "storage/AWS_ACCESS_KEY_ID" },
        { VaultType.Infisical, "AWS ACCESS KEY" },
    };

    [Theory]
    [MemberData(nameof(InvalidReferences))]
    public void Validate_ReferenceInvalidForVaultType_FailsOnThatReference(VaultType vault, string reference)
    {
        foreach (var (secretType, method) in AllAuthMethods())
        {
            var request = VaultSecret(vault, secretType, method.Id);
            var last = request.FieldMappings!.Count - 1;
            request.FieldMappings[last].Reference = reference;

            var result = new SecretValidator(vault).Validate(request);

            Assert.Equal(new[] { $"field_mappings[{last}].reference" }, result.Errors().Keys);
        }
    }

    [Theory]
    [MemberData(nameof(AllVaultTypes))]
    public void Validate_MappingWithoutFieldNameOrReference_FailsOnEach(VaultType vault)
    {
        var request = VaultSecret(vault, "s3", "s3_access_key");
        request.FieldMappings![1] = new FieldMappingRequest { FieldName = "secret_access_key", Reference = " " };
        request.FieldMappings.Add(new FieldMappingRequest { FieldName = null, Reference = ReferenceSyntax.Example(vault, "x") });
        request.FieldMappings.Add(null!);

        var result = new SecretValidator(vault).Validate(request);

        Assert.Equal(new[] { "field_mappings[1].reference", "field_mappings[2].field_name", "field_mappings[3]" }, result.Errors().Keys);
    }

    public static TheoryData<VaultType> AllVaultTypes() => new(VaultTypes.All);

    [Fact]
    public void Validate_ConnectionTypeUnknown_ChecksPresenceNotSyntax()
    {
        var request = VaultSecret(VaultType.OnePassword, "s3", "s3_access_key");
        request.FieldMappings![0].Reference = "anything at all";

        Assert.True(new SecretValidator(connectionType: null).Validate(request).IsValid);
        Assert.False(new SecretValidator(VaultType.OnePassword).Validate(request).IsValid);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("42")]
    [InlineData("6f1c2a9e3b7d4c559a0e2d4b8f1e7c30")]
    public void Validate_VaultConnectionIdNotUuid_FailsOnVaultConnectionId(string id)
    {
        var request = VaultSecret(VaultType.Doppler, "s3", "s3_access_key");
        request.VaultConnectionId = id;

        var result = new SecretValidator(VaultType.Doppler).Validate(request);

        Assert.Equal(new[] { "vault_connection_id" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_MappingsWithoutConnection_FailsOnVaultConnectionId()
    {
        var request = VaultSecret(VaultType.Doppler, "s3", "s3_access_key");
        request.VaultConnectionId = null;

        Assert.Equal(new[] { "vault_connection_id" }, new SecretValidator().Validate(request).Errors().Keys);
    }

    [Fact]
    public void Validate_ConnectionWithoutMappings_FailsOnFieldMappings()
    {
        var request = VaultSecret(VaultType.Doppler, "s3", "s3_access_key");
        request.FieldMappings = null;

        Assert.Equal(new[] { "field_mappings" }, new SecretValidator(VaultType.Doppler).Validate(request).Errors().Keys);
    }

    // ---- source: exactly one of credentials or vault ----

    [Theory]
    [MemberData(nameof(AllVaultTypes))]
    public void Validate_CredentialsAndMappings_FailsOnCredentials(VaultType vault)
    {
        var request = VaultSecret(vault, "s3", "s3_access_key");
        request.Credentials = ValidCredentials("s3", "s3_access_key");

        var result = new SecretValidator(vault).Validate(request);

        Assert.Equal(new[] { "credentials" }, result.Errors().Keys);
        Assert.Contains("not both", Assert.Single(result.Errors()["credentials"]));
    }

    [Fact]
    public void Validate_CredentialsAndConnectionIdOnly_FailsOnCredentials()
    {
        var request = DirectSecret("s3", "s3_access_key");
        request.VaultConnectionId = Uuid1;

        Assert.Equal(new[] { "credentials" }, DirectValidator.Validate(request).Errors().Keys);
    }

    [Fact]
    public void Validate_NeitherCredentialsNorMappings_FailsOnCredentials()
    {
        var request = DirectSecret("s3", "s3_access_key");
        request.Credentials = null;

        var result = DirectValidator.Validate(request);

        Assert.Equal(new[] { "credentials" }, result.Errors().Keys);
    }

    // ---- common fields ----

    [Theory]
    [InlineData(null, "secret_type")]
    [InlineData("", "secret_type")]
    [InlineData("S3", "secret_type")]
    [InlineData("ftp", "secret_type")]
    public void Validate_UnknownSecretType_FailsOnSecretTypeOnly(string? secretType, string key)
    {
        var request = DirectSecret("s3", "s3_access_key");
        request.SecretType = secretType;

        Assert.Equal(new[] { key }, DirectValidator.Validate(request).Errors().Keys);
    }

    [Theory]
    [MemberData(nameof(AuthMethods))]
    public void Validate_AuthMethodOfAnotherType_FailsOnAuthMethod(string secretType, string authMethod)
    {
        var foreign = AllAuthMethods().First(x => x.SecretType != secretType).Method.Id;
        foreach (var bad in new[] { foreign, "", null, authMethod.ToUpperInvariant() })
        {
            var request = DirectSecret(secretType, authMethod);
            request.AuthMethod = bad;

            Assert.Equal(new[] { "auth_method" }, DirectValidator.Validate(request).Errors().Keys);
        }
    }

    [Theory]
    [InlineData("name", 255, true)]
    [InlineData("name", 256, false)]
    [InlineData("name", 0, false)]
    [InlineData("description", 2000, true)]
    [InlineData("description", 2001, false)]
    public void Validate_Length_RespectsLimit(string field, int length, bool valid)
    {
        var request = DirectSecret("s3", "s3_access_key");
        if (field == "name") request.Name = new string('x', length); else request.Description = new string('x', length);

        string[] expected = valid ? [] : [field];
        Assert.Equal(expected, DirectValidator.Validate(request).Errors().Keys);
    }

    [Fact]
    public void Validate_NameMissing_FailsOnName()
    {
        var request = DirectSecret("s3", "s3_access_key");
        request.Name = null;

        Assert.Equal(new[] { "name" }, DirectValidator.Validate(request).Errors().Keys);
    }
}

public class UpdateSecretValidatorTests
{
    private static Secret Existing(string secretType, string authMethod, bool vault) => new()
    {
        Id = Guid.NewGuid(),
        Name = "Backups",
        NameNormalized = "BACKUPS",
        SecretType = secretType,
        AuthMethod = authMethod,
        VaultConnectionId = vault ? Guid.Parse(Uuid1) : null,
        CredentialFields = vault ? [] : Method(secretType, authMethod).FieldNames.ToList(),
    };

    public static TheoryData<string, string> AuthMethods() => SecretValidatorTests.AuthMethods();

    [Fact]
    public void Validate_NothingGiven_Passes()
    {
        Assert.True(new UpdateSecretValidator(Existing("s3", "s3_access_key", vault: false)).Validate(new UpdateSecretRequest()).IsValid);
    }

    [Theory]
    [MemberData(nameof(AuthMethods))]
    public void Validate_DirectSecretNewCredentials_Passes(string secretType, string authMethod)
    {
        var request = new UpdateSecretRequest { Credentials = ValidCredentials(secretType, authMethod) };

        var result = new UpdateSecretValidator(Existing(secretType, authMethod, vault: false)).Validate(request);

        Assert.True(result.IsValid, result.Describe());
    }

    [Theory]
    [MemberData(nameof(AuthMethods))]
    public void Validate_DirectSecretWithFieldMappings_FailsOnFieldMappings(string secretType, string authMethod)
    {
        var request = new UpdateSecretRequest { FieldMappings = ValidMappings(VaultType.Doppler, secretType, authMethod) };

        var result = new UpdateSecretValidator(Existing(secretType, authMethod, vault: false)).Validate(request);

        Assert.Equal(new[] { "field_mappings" }, result.Errors().Keys);
        Assert.Contains("only to vault secrets", Assert.Single(result.Errors()["field_mappings"]));
    }

    [Theory]
    [MemberData(nameof(AuthMethods))]
    public void Validate_VaultSecretWithCredentials_FailsOnCredentials(string secretType, string authMethod)
    {
        var request = new UpdateSecretRequest { Credentials = ValidCredentials(secretType, authMethod) };

        var result = new UpdateSecretValidator(Existing(secretType, authMethod, vault: true), VaultType.Doppler).Validate(request);

        Assert.Equal(new[] { "credentials" }, result.Errors().Keys);
        Assert.Contains("only to direct secrets", Assert.Single(result.Errors()["credentials"]));
    }

    [Theory]
    [MemberData(nameof(AuthMethods))]
    public void Validate_VaultSecretNewMappings_PassesForEveryVaultType(string secretType, string authMethod)
    {
        foreach (var vault in VaultTypes.All)
        {
            var request = new UpdateSecretRequest { FieldMappings = ValidMappings(vault, secretType, authMethod) };

            var result = new UpdateSecretValidator(Existing(secretType, authMethod, vault: true), vault).Validate(request);

            Assert.True(result.IsValid, result.Describe());
        }
    }

    [Fact]
    public void Validate_DirectCredentialMissingField_FailsOnThatField()
    {
        var credentials = ValidCredentials("b2", "b2_application_key");
        credentials.Remove("application_key");

        var result = new UpdateSecretValidator(Existing("b2", "b2_application_key", vault: false))
            .Validate(new UpdateSecretRequest { Credentials = credentials });

        Assert.Equal(new[] { "credentials.application_key" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_VaultMappingBadReference_FailsOnThatReference()
    {
        var mappings = ValidMappings(VaultType.Doppler, "r2", "r2_access_key");
        mappings[0].Reference = "lower_case";

        var result = new UpdateSecretValidator(Existing("r2", "r2_access_key", vault: true), VaultType.Doppler)
            .Validate(new UpdateSecretRequest { FieldMappings = mappings });

        Assert.Equal(new[] { "field_mappings[0].reference" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_DirectAuthMethodChangedWithoutCredentials_FailsOnCredentials()
    {
        var existing = Existing("azure_blob", "azure_account_key", vault: false);

        var result = new UpdateSecretValidator(existing).Validate(new UpdateSecretRequest { AuthMethod = "azure_sas_url" });

        Assert.Equal(new[] { "credentials" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_DirectAuthMethodChangedWithOldCredentials_FailsOnNewAndOldFields()
    {
        var existing = Existing("azure_blob", "azure_account_key", vault: false);
        var request = new UpdateSecretRequest { AuthMethod = "azure_sas_url", Credentials = ValidCredentials("azure_blob", "azure_account_key") };

        var result = new UpdateSecretValidator(existing).Validate(request);

        Assert.Equal(new[] { "credentials.account_key", "credentials.account_name", "credentials.sas_url" }, result.Errors().Keys.Order());
    }

    [Fact]
    public void Validate_DirectAuthMethodChangedWithMatchingCredentials_Passes()
    {
        var existing = Existing("azure_blob", "azure_account_key", vault: false);
        var request = new UpdateSecretRequest { AuthMethod = "azure_sas_url", Credentials = new() { ["sas_url"] = SasUrl } };

        Assert.True(new UpdateSecretValidator(existing).Validate(request).IsValid);
    }

    [Fact]
    public void Validate_VaultAuthMethodChangedWithoutMappings_FailsOnFieldMappings()
    {
        var existing = Existing("azure_blob", "azure_sas_url", vault: true);

        var result = new UpdateSecretValidator(existing, VaultType.Infisical).Validate(new UpdateSecretRequest { AuthMethod = "azure_account_key" });

        Assert.Equal(new[] { "field_mappings" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_VaultAuthMethodChangedWithMatchingMappings_Passes()
    {
        var existing = Existing("azure_blob", "azure_sas_url", vault: true);
        var request = new UpdateSecretRequest
        {
            AuthMethod = "azure_account_key",
            FieldMappings = ValidMappings(VaultType.Infisical, "azure_blob", "azure_account_key"),
        };

        Assert.True(new UpdateSecretValidator(existing, VaultType.Infisical).Validate(request).IsValid);
    }

    [Fact]
    public void Validate_AuthMethodOfAnotherType_FailsOnAuthMethod()
    {
        var existing = Existing("s3", "s3_access_key", vault: false);

        var result = new UpdateSecretValidator(existing).Validate(new UpdateSecretRequest { AuthMethod = "r2_access_key" });

        Assert.Equal(new[] { "auth_method" }, result.Errors().Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_BlankName_FailsOnName(string name)
    {
        var result = new UpdateSecretValidator(Existing("s3", "s3_access_key", vault: false)).Validate(new UpdateSecretRequest { Name = name });

        Assert.Equal(new[] { "name" }, result.Errors().Keys);
    }
}
