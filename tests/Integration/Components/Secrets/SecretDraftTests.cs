using Dataraven.Core.Secrets.Catalog;
using Dataraven.Portal.Components.Pages.Secrets;

namespace Dataraven.Tests.Components.Secrets;

public sealed class SecretDraftTests
{
    [Fact]
    public void NewType_DropsTheOldFields_AndPicksItsOnlyAuthMethod()
    {
        var draft = new SecretDraft();
        draft.ChooseType("s3");
        draft.Credentials["access_key_id"] = "AKIAIOSFODNN7EXAMPLE";

        draft.ChooseType("b2");

        Assert.Equal("b2_application_key", draft.AuthMethodId);
        Assert.Equal(["application_key", "application_key_id"], draft.Credentials.Keys.Order());
        Assert.All(draft.Credentials.Values, v => Assert.Equal("", v));
    }

    [Fact]
    public void AcceptingASuggestion_MovesTheValueAndClearsTheRest()
    {
        var draft = new SecretDraft();
        draft.ChooseType("s3");
        draft.Credentials["access_key_id"] = "AKIAIOSFODNN7EXAMPLE";
        const string sas = "https://acme.blob.core.windows.net/c?sv=1&sig=abc";
        var suggestion = CredentialSuggestion.For(SecretCatalog.FindAuthMethod("s3", "s3_access_key")!.FindField("secret_access_key")!, sas)!;

        draft.Accept(suggestion, sas);

        Assert.Equal(("azure_blob", "azure_sas_url"), (draft.SecretType, draft.AuthMethodId));
        Assert.Equal(new Dictionary<string, string> { ["sas_url"] = sas }, draft.Credentials);
        Assert.Equal(sas, draft.ToCreate().Credentials!["sas_url"]);
    }

    [Fact]
    public void AnotherConnection_EmptiesTheReferences_TheSameOneKeepsThem()
    {
        var draft = new SecretDraft();
        draft.ChooseType("s3");
        draft.ChooseSource(SecretSource.Vault);
        var first = Guid.NewGuid();
        draft.ChooseConnection(first);
        draft.References["access_key_id"] = "AWS_ACCESS_KEY_ID";

        draft.ChooseConnection(first);
        Assert.Equal("AWS_ACCESS_KEY_ID", draft.References["access_key_id"]);
        draft.ChooseConnection(Guid.NewGuid());
        Assert.Equal("", draft.References["access_key_id"]);
    }

    [Theory]
    [InlineData("prod backups", true)]
    [InlineData("  PROD BACKUPS ", true)]
    [InlineData("Prod backups (EU)", false)]
    [InlineData("", false)]
    public void NameTaken_ComparesLikeTheServer(string name, bool taken)
    {
        var draft = new SecretDraft { Name = name };

        Assert.Equal(taken, draft.NameTaken(["Prod backups", "Media"]));
    }

    [Fact]
    public void VaultSource_SendsNoCredentials_AndClearsTypedOnes()
    {
        var draft = new SecretDraft();
        draft.ChooseType("s3");
        draft.Credentials["secret_access_key"] = "typed-then-abandoned";

        draft.ChooseSource(SecretSource.Vault);

        Assert.Equal("", draft.Credentials["secret_access_key"]);
        Assert.Null(draft.ToCreate().Credentials);
        Assert.Equal(2, draft.ToCreate().FieldMappings!.Count);
    }
}
