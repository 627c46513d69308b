using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections;

namespace Dataraven.Tests.Unit.Validation;

public class ReferenceSyntaxTests
{
    [Theory]
    [InlineData("op://DevOps/AWS-Prod/access_key_id")]
    [InlineData("op://DevOps/AWS Prod/credentials/access_key_id")]
    [InlineData("op://Private/GitHub/one-time password?attribute=otp")]
    [InlineData("op://vault.v1/item_2/field.name")]
    [InlineData("op://Dev Ops/My Item/Section 1/Field Name")]
    [InlineData("op://abcdefghijklmnopqrstuvwx/ytx2mchd4lqlrwzpxq6dnyvlmq/password")]
    [InlineData("op://Infra/Storage/password?attribute=type")]
    public void IsValid_OnePasswordValid_True(string reference)
    {
        Assert.True(ReferenceSyntax.IsValid(VaultType.OnePassword, reference));
    }

    [Theory]
    [InlineData("")]
    [InlineData("DevOps/AWS-Prod/access_key_id")]
    [InlineData("OP://DevOps/AWS-Prod/access_key_id")]
    [InlineData("op://DevOps/AWS-Prod")]
    [InlineData("op://DevOps//access_key_id")]
    [InlineData("op://DevOps/AWS-Prod/section/sub/access_key_id")]
    [InlineData("op://Dev$Ops/AWS-Prod/access_key_id")]
    [InlineData("op://DevOps/AWS-Prod/access_key_id?foo=bar")]
    [InlineData("op://DevOps/AWS-Prod/access_key_id?attribute=")]
    [InlineData("op://DevOps/AWS-Prod/access_key_id/")]
    [InlineData(" op://DevOps/AWS-Prod/access_key_id")]
    [InlineData("op://DevOps/ AWS-Prod/access_key_id")]
    [InlineData("AWS_ACCESS_KEY_ID")]
    [InlineData("op://DevOps/AWS-Prod/access_key_id\n")]
    public void IsValid_OnePasswordInvalid_False(string reference)
    {
        Assert.False(ReferenceSyntax.IsValid(VaultType.OnePassword, reference));
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID")]
    [InlineData("_PRIVATE")]
    [InlineData("A")]
    [InlineData("KEY1")]
    [InlineData("A_B_C_9")]
    [InlineData("_")]
    public void IsValid_DopplerValid_True(string reference)
    {
        Assert.True(ReferenceSyntax.IsValid(VaultType.Doppler, reference));
    }

    [Theory]
    [InlineData("")]
    [InlineData("aws_access_key_id")]
    [InlineData("1KEY")]
    [InlineData("AWS-KEY")]
    [InlineData("AWS KEY")]
    [InlineData("KEY.ID")]
    [InlineData("ÄKEY")]
    [InlineData("op://DevOps/AWS/key")]
    [InlineData("AWS_KEY\n")]
    public void IsValid_DopplerInvalid_False(string reference)
    {
        Assert.False(ReferenceSyntax.IsValid(VaultType.Doppler, reference));
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID")]
    [InlineData("aws-access-key")]
    [InlineData("key.with.dots")]
    [InlineData("MixedCase123")]
    [InlineData("a")]
    [InlineData("ключ")]
    public void IsValid_InfisicalValid_True(string reference)
    {
        Assert.True(ReferenceSyntax.IsValid(VaultType.Infisical, reference));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a:b")]
    [InlineData("folder/KEY")]
    [InlineData("/KEY")]
    [InlineData("tab\tkey")]
    [InlineData("line\nbreak")]
    [InlineData("op://DevOps/AWS/key")]
    [InlineData("KEY\n")]
    public void IsValid_InfisicalInvalid_False(string reference)
    {
        Assert.False(ReferenceSyntax.IsValid(VaultType.Infisical, reference));
    }

    public static TheoryData<VaultType> AllTypes() => new(VaultTypes.All);

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void IsValid_OverMaxLength_False(VaultType type)
    {
        var atMax = ReferenceSyntax.Example(type, "k") + new string('A', ReferenceSyntax.MaxLength - ReferenceSyntax.Example(type, "k").Length);
        Assert.True(ReferenceSyntax.IsValid(type, atMax));
        Assert.False(ReferenceSyntax.IsValid(type, atMax + "A"));
        Assert.False(ReferenceSyntax.IsValid(type, null));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Example_EveryCatalogField_IsValidForTheVault(VaultType type)
    {
        foreach (var secretType in SecretCatalog.All)
        {
            foreach (var field in secretType.AuthMethods.SelectMany(m => m.Fields))
            {
                var example = ReferenceSyntax.Example(type, field.Name, secretType.Id);
                Assert.True(ReferenceSyntax.IsValid(type, example), $"{type}: {example}");
            }
        }
        Assert.True(ReferenceSyntax.IsValid(type, ReferenceSyntax.Example(type, "access_key_id")));
    }

    [Fact]
    public void Example_S3AccessKeyId_MatchesDesignExamples()
    {
        Assert.Equal("op://DevOps/AWS-Prod/access_key_id", ReferenceSyntax.Example(VaultType.OnePassword, "access_key_id", "s3"));
        Assert.Equal("AWS_ACCESS_KEY_ID", ReferenceSyntax.Example(VaultType.Doppler, "access_key_id", "s3"));
        Assert.Equal("AWS_ACCESS_KEY_ID", ReferenceSyntax.Example(VaultType.Infisical, "access_key_id", "s3"));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Describe_EveryVaultType_IsOneSentenceWithAnExample(VaultType type)
    {
        var text = ReferenceSyntax.Describe(type);

        Assert.DoesNotContain('\n', text);
        Assert.Contains(type.DisplayName(), text);
    }

    [Theory]
    [InlineData(null, "op://DevOps/AWS/key")]
    [InlineData("DevOps", "op://DevOps/AWS/key")]
    [InlineData("devops", "op://DevOps/AWS/Settings/key")]
    public void OutOfScope_UnscopedOrSameVault_IsNull(string? scope, string reference) =>
        Assert.Null(ReferenceSyntax.OutOfScope(VaultType.OnePassword, scope, reference));

    [Fact]
    public void OutOfScope_AnotherVault_NamesBoth()
    {
        var message = ReferenceSyntax.OutOfScope(VaultType.OnePassword, "Shared", "op://DevOps/AWS/key");
        Assert.Equal("References vault 'DevOps', the connection now reads 'Shared': pick a reference in 'Shared'.", message);
    }

    [Theory]
    [InlineData(VaultType.Doppler, "AWS_KEY")]
    [InlineData(VaultType.Infisical, "AWS_KEY")]
    public void OutOfScope_ProvidersWithoutVaults_IsNull(VaultType type, string reference) =>
        Assert.Null(ReferenceSyntax.OutOfScope(type, "Shared", reference));
}
