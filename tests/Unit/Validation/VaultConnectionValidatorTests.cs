using Dataraven.Core.VaultConnections;
using static Dataraven.Tests.Unit.Validation.ValidationSamples;

namespace Dataraven.Tests.Unit.Validation;

public class VaultConnectionValidatorTests
{
    private static readonly VaultConnectionValidator Validator = new();

    private static readonly Dictionary<string, Action<CreateVaultConnectionRequest, string?>> Setters = new()
    {
        ["name"] = (r, v) => r.Name = v,
        ["vault_type"] = (r, v) => r.VaultType = v,
        ["description"] = (r, v) => r.Description = v,
        ["access_token"] = (r, v) => r.AccessToken = v,
        ["project"] = (r, v) => r.Project = v,
        ["config"] = (r, v) => r.Config = v,
        ["client_id"] = (r, v) => r.ClientId = v,
        ["client_secret"] = (r, v) => r.ClientSecret = v,
        ["project_id"] = (r, v) => r.ProjectId = v,
        ["environment"] = (r, v) => r.Environment = v,
        ["secret_path"] = (r, v) => r.SecretPath = v,
    };

    /// <summary>Which type-specific fields each vault type takes, and which of them are required.</summary>
    private static readonly Dictionary<VaultType, (string[] Applies, string[] Required)> FieldsByType = new()
    {
        [VaultType.OnePassword] = (["access_token"], ["access_token"]),
        [VaultType.Doppler] = (["access_token", "project", "config"], ["access_token", "project", "config"]),
        [VaultType.Infisical] = (
            ["client_id", "client_secret", "project_id", "environment", "secret_path"],
            ["client_id", "client_secret", "project_id", "environment"]),
    };

    private static readonly string[] TypeSpecificFields =
        ["access_token", "project", "config", "client_id", "client_secret", "project_id", "environment", "secret_path"];

    /// <summary>(type, field, max length, a valid value of a given length).</summary>
    private static readonly (VaultType Type, string Field, int Max, Func<int, string> Value)[] Limits =
    [
        .. VaultTypes.All.SelectMany(t => new (VaultType, string, int, Func<int, string>)[]
        {
            (t, "name", 255, n => new string('n', n)),
            (t, "description", 2000, n => new string('d', n)),
        }),
        (VaultType.OnePassword, "access_token", 4096, n => "ops_" + new string('a', n - 4)),
        (VaultType.Doppler, "access_token", 4096, n => "dp.st." + new string('a', n - 6)),
        (VaultType.Doppler, "project", 255, n => new string('p', n)),
        (VaultType.Doppler, "config", 255, n => new string('c', n)),
        (VaultType.Infisical, "client_secret", 1000, n => new string('s', n)),
        (VaultType.Infisical, "environment", 100, n => new string('e', n)),
        (VaultType.Infisical, "secret_path", 500, n => "/" + new string('p', n - 1)),
    ];

    public static TheoryData<VaultType> AllTypes() => new(VaultTypes.All);

    public static TheoryData<VaultType, string> RequiredFields()
    {
        var data = new TheoryData<VaultType, string>();
        foreach (var type in VaultTypes.All)
        {
            data.Add(type, "name");
            foreach (var field in FieldsByType[type].Required) data.Add(type, field);
        }
        return data;
    }

    public static TheoryData<VaultType, string, int> LengthLimits()
    {
        var data = new TheoryData<VaultType, string, int>();
        foreach (var (type, field, max, _) in Limits) data.Add(type, field, max);
        return data;
    }

    public static TheoryData<VaultType, string> ForeignFields()
    {
        var data = new TheoryData<VaultType, string>();
        foreach (var type in VaultTypes.All)
        {
            foreach (var field in TypeSpecificFields.Except(FieldsByType[type].Applies)) data.Add(type, field);
        }
        return data;
    }

    [Fact]
    public void FieldsByType_CoversEveryVaultType()
    {
        Assert.Equal(VaultTypes.All.OrderBy(t => t), FieldsByType.Keys.OrderBy(t => t));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Validate_ValidRequest_Passes(VaultType type)
    {
        var result = Validator.Validate(ValidConnection(type));

        Assert.True(result.IsValid, result.Describe());
    }

    [Fact]
    public void Validate_InfisicalWithoutSecretPath_Passes()
    {
        var request = ValidConnection(VaultType.Infisical);
        request.SecretPath = null;

        Assert.True(Validator.Validate(request).IsValid);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Validate_RequiredFieldNull_FailsOnThatField(VaultType type, string field)
    {
        var request = ValidConnection(type);
        Setters[field](request, null);

        var result = Validator.Validate(request);

        Assert.Equal(new[] { field }, result.Errors().Keys);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Validate_RequiredFieldBlank_FailsOnThatField(VaultType type, string field)
    {
        foreach (var blank in new[] { "", "   " })
        {
            var request = ValidConnection(type);
            Setters[field](request, blank);

            var result = Validator.Validate(request);

            Assert.Equal(new[] { field }, result.Errors().Keys);
        }
    }

    [Theory]
    [MemberData(nameof(LengthLimits))]
    public void Validate_FieldAtMaxLength_Passes(VaultType type, string field, int max)
    {
        var request = ValidConnection(type);
        var value = Limits.Single(l => l.Type == type && l.Field == field).Value(max);
        Assert.Equal(max, value.Length);
        Setters[field](request, value);

        var result = Validator.Validate(request);

        Assert.True(result.IsValid, result.Describe());
    }

    [Theory]
    [MemberData(nameof(LengthLimits))]
    public void Validate_FieldOverMaxLength_FailsOnThatField(VaultType type, string field, int max)
    {
        var request = ValidConnection(type);
        Setters[field](request, Limits.Single(l => l.Type == type && l.Field == field).Value(max + 1));

        var result = Validator.Validate(request);

        Assert.Equal(new[] { field }, result.Errors().Keys);
        Assert.Contains($"at most {max} characters", Assert.Single(result.Errors()[field]));
    }

    [Theory]
    [InlineData(VaultType.OnePassword, "dp.st.prd.abc")]
    [InlineData(VaultType.OnePassword, "OPS_abc")]
    [InlineData(VaultType.OnePassword, "op_abc")]
    [InlineData(VaultType.OnePassword, " ops_abc")]
    [InlineData(VaultType.OnePassword, "eyJhbGciOi")]
    [InlineData(VaultType.Doppler, "ops_abc")]
    [InlineData(VaultType.Doppler, "dp.pt.abc")]
    [InlineData(VaultType.Doppler, "dp.st")]
    [InlineData(VaultType.Doppler, "DP.ST.abc")]
    [InlineData(VaultType.Doppler, "dpst.abc")]
    public void Validate_WrongTokenPrefix_FailsOnAccessToken(VaultType type, string token)
    {
        var request = ValidConnection(type);
        request.AccessToken = token;

        var result = Validator.Validate(request);

        Assert.Equal(new[] { "access_token" }, result.Errors().Keys);
        Assert.Contains(VaultConnectionRules.TokenPrefix(type)!, Assert.Single(result.Errors()["access_token"]));
    }

    [Theory]
    [InlineData("client_id", "not-a-uuid")]
    [InlineData("client_id", "12345")]
    [InlineData("client_id", "6f1c2a9e3b7d4c559a0e2d4b8f1e7c30")]
    [InlineData("client_id", "{6f1c2a9e-3b7d-4c55-9a0e-2d4b8f1e7c30}")]
    [InlineData("client_id", "6f1c2a9e-3b7d-4c55-9a0e-2d4b8f1e7c3")]
    [InlineData("client_id", "6f1c2a9e-3b7d-4c55-9a0e-2d4b8f1e7c3g")]
    [InlineData("project_id", "not-a-uuid")]
    [InlineData("project_id", "my-project")]
    [InlineData("project_id", "6f1c2a9e3b7d4c559a0e2d4b8f1e7c30")]
    [InlineData("project_id", " 6f1c2a9e-3b7d-4c55-9a0e-2d4b8f1e7c30")]
    public void Validate_InfisicalIdNotUuid_FailsOnThatField(string field, string value)
    {
        var request = ValidConnection(VaultType.Infisical);
        Setters[field](request, value);

        var result = Validator.Validate(request);

        Assert.Equal(new[] { field }, result.Errors().Keys);
    }

    [Theory]
    [InlineData("Prod")]
    [InlineData("prod env")]
    [InlineData("prod/eu")]
    [InlineData("prod.eu")]
    [InlineData("prød")]
    [InlineData("prod:1")]
    [InlineData("prod\n")]
    public void Validate_EnvironmentNotSlug_FailsOnEnvironment(string environment)
    {
        var request = ValidConnection(VaultType.Infisical);
        request.Environment = environment;

        var result = Validator.Validate(request);

        Assert.Equal(new[] { "environment" }, result.Errors().Keys);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging-eu")]
    [InlineData("prod_2")]
    [InlineData("a")]
    public void Validate_EnvironmentSlug_Passes(string environment)
    {
        var request = ValidConnection(VaultType.Infisical);
        request.Environment = environment;

        Assert.True(Validator.Validate(request).IsValid);
    }

    [Theory]
    [InlineData("storage")]
    [InlineData("storage/prod")]
    [InlineData(" /storage")]
    [InlineData("\\storage")]
    [InlineData("")]
    public void Validate_SecretPathNotStartingWithSlash_FailsOnSecretPath(string path)
    {
        var request = ValidConnection(VaultType.Infisical);
        request.SecretPath = path;

        var result = Validator.Validate(request);

        Assert.Equal(new[] { "secret_path" }, result.Errors().Keys);
    }

    [Theory]
    [MemberData(nameof(ForeignFields))]
    public void Validate_FieldOfAnotherVaultType_FailsOnThatField(VaultType type, string field)
    {
        var request = ValidConnection(type);
        Setters[field](request, field is "client_id" or "project_id" ? Uuid1 : "/value");

        var result = Validator.Validate(request);

        Assert.Equal(new[] { field }, result.Errors().Keys);
        Assert.Contains($"does not apply to {type.DisplayName()} connections", Assert.Single(result.Errors()[field]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1password")]
    [InlineData("OnePassword")]
    [InlineData("Doppler")]
    [InlineData("hashicorp")]
    public void Validate_UnknownVaultType_FailsOnVaultTypeOnly(string? vaultType)
    {
        var request = ValidConnection(VaultType.Doppler);
        request.VaultType = vaultType;

        var result = Validator.Validate(request);

        Assert.Equal(new[] { "vault_type" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_EmptyRequest_NamesNameAndVaultType()
    {
        var result = Validator.Validate(new CreateVaultConnectionRequest());

        Assert.Equal(new[] { "name", "vault_type" }, result.Errors().Keys.Order());
    }
}

public class UpdateVaultConnectionValidatorTests
{
    private static readonly UpdateVaultConnectionValidator Validator = new();

    [Fact]
    public void Validate_NothingGiven_Passes()
    {
        Assert.True(Validator.Validate(new UpdateVaultConnectionRequest()).IsValid);
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("  ", "name")]
    public void Validate_BlankName_FailsOnName(string name, string key)
    {
        var result = Validator.Validate(new UpdateVaultConnectionRequest { Name = name });

        Assert.Equal(new[] { key }, result.Errors().Keys);
    }

    [Theory]
    [InlineData("name", 255, true)]
    [InlineData("name", 256, false)]
    [InlineData("description", 2000, true)]
    [InlineData("description", 2001, false)]
    public void Validate_Length_RespectsLimit(string field, int length, bool valid)
    {
        var request = field == "name"
            ? new UpdateVaultConnectionRequest { Name = new string('x', length) }
            : new UpdateVaultConnectionRequest { Description = new string('x', length) };

        var result = Validator.Validate(request);

        string[] expected = valid ? [] : [field];
        Assert.Equal(expected, result.Errors().Keys);
    }
}

public class RotateVaultConnectionValidatorTests
{
    private static RotateVaultConnectionRequest ValidRotation(VaultType type) => type == VaultType.Infisical
        ? new() { ClientId = Uuid2, ClientSecret = "new-secret" }
        : new() { AccessToken = ValidConnection(type).AccessToken };

    public static TheoryData<VaultType> AllTypes() => new(VaultTypes.All);

    public static TheoryData<VaultType, string> RequiredFields()
    {
        var data = new TheoryData<VaultType, string>();
        foreach (var type in VaultTypes.All)
        {
            if (type == VaultType.Infisical) { data.Add(type, "client_id"); data.Add(type, "client_secret"); }
            else data.Add(type, "access_token");
        }
        return data;
    }

    public static TheoryData<VaultType, string> ForeignFields()
    {
        var data = new TheoryData<VaultType, string>();
        foreach (var type in VaultTypes.All)
        {
            if (type == VaultType.Infisical) data.Add(type, "access_token");
            else { data.Add(type, "client_id"); data.Add(type, "client_secret"); }
        }
        return data;
    }

    private static void Set(RotateVaultConnectionRequest r, string field, string? value)
    {
        switch (field)
        {
            case "access_token": r.AccessToken = value; break;
            case "client_id": r.ClientId = value; break;
            case "client_secret": r.ClientSecret = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(field));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Validate_ValidRotation_Passes(VaultType type)
    {
        var result = new RotateVaultConnectionValidator(type).Validate(ValidRotation(type));

        Assert.True(result.IsValid, result.Describe());
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Validate_RequiredFieldMissing_FailsOnThatField(VaultType type, string field)
    {
        var request = ValidRotation(type);
        Set(request, field, null);

        var result = new RotateVaultConnectionValidator(type).Validate(request);

        Assert.Equal(new[] { field }, result.Errors().Keys);
    }

    [Theory]
    [MemberData(nameof(ForeignFields))]
    public void Validate_FieldOfAnotherVaultType_FailsOnThatField(VaultType type, string field)
    {
        var request = ValidRotation(type);
        Set(request, field, Uuid1);

        var result = new RotateVaultConnectionValidator(type).Validate(request);

        Assert.Equal(new[] { field }, result.Errors().Keys);
    }

    [Theory]
    [InlineData(VaultType.OnePassword, "dp.st.abc")]
    [InlineData(VaultType.Doppler, "ops_abc")]
    [InlineData(VaultType.Doppler, "ops_")]
    public void Validate_WrongTokenPrefix_FailsOnAccessToken(VaultType type, string token)
    {
        var result = new RotateVaultConnectionValidator(type).Validate(new RotateVaultConnectionRequest { AccessToken = token });

        Assert.Equal(new[] { "access_token" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_InfisicalClientIdNotUuid_FailsOnClientId()
    {
        var result = new RotateVaultConnectionValidator(VaultType.Infisical)
            .Validate(new RotateVaultConnectionRequest { ClientId = "client", ClientSecret = "s" });

        Assert.Equal(new[] { "client_id" }, result.Errors().Keys);
    }

    [Fact]
    public void Validate_InfisicalClientSecretTooLong_FailsOnClientSecret()
    {
        var validator = new RotateVaultConnectionValidator(VaultType.Infisical);

        Assert.True(validator.Validate(new RotateVaultConnectionRequest { ClientId = Uuid1, ClientSecret = new string('s', 1000) }).IsValid);
        Assert.Equal(new[] { "client_secret" },
            validator.Validate(new RotateVaultConnectionRequest { ClientId = Uuid1, ClientSecret = new string('s', 1001) }).Errors().Keys);
    }
}
