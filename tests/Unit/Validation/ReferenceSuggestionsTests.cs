using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;

namespace Dataraven.Tests.Unit.Validation;

public sealed class ReferenceSuggestionsTests
{
    private static readonly AuthMethod S3 = SecretCatalog.FindAuthMethod("s3", "s3_access_key")!;

    private static BrowseEntry Secret(string name) => new(name, BrowseKinds.Secret, name, name);

    private static BrowseEntry Field(string item, string label) => new(label, BrowseKinds.Field, $"DevOps/{item}/{label}", $"op://DevOps/{item}/{label}");

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID", "AWS_", true)]
    [InlineData("access key id", null, true)]
    [InlineData("Access Key ID", null, true)]
    [InlineData("access_key_id", null, true)]
    [InlineData("AWS_ACCESS_KEY_ID", null, false)]
    [InlineData("SECRET_ACCESS_KEY", null, false)]
    public void IsExactMatch_ComparesLettersAndDigitsIgnoringCase(string name, string? prefix, bool expected) =>
        Assert.Equal(expected, ReferenceSuggestions.IsExactMatch(S3.FindField("access_key_id")!, name, prefix));

    [Fact]
    public void Suggest_ByPrefix_MapsEveryFieldOnce()
    {
        var entries = new[] { Secret("AWS_ACCESS_KEY_ID"), Secret("AWS_SECRET_ACCESS_KEY"), Secret("GCP_ACCESS_KEY_ID"), Secret("DATABASE_URL") };
        var suggestions = ReferenceSuggestions.Suggest(S3, entries, "AWS_");
        Assert.Equal(
        [
            new ReferenceSuggestion("access_key_id", "Access key ID", "AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
            new ReferenceSuggestion("secret_access_key", "Secret access key", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
        ], suggestions);
    }

    [Fact]
    public void Suggest_WithoutPrefix_TakesTheShortestNameEndingWithTheField()
    {
        var suggestions = ReferenceSuggestions.Suggest(S3, [Secret("LEGACY_AWS_ACCESS_KEY_ID"), Secret("AWS_ACCESS_KEY_ID")]);
        var only = Assert.Single(suggestions);
        Assert.Equal(("access_key_id", "AWS_ACCESS_KEY_ID"), (only.FieldName, only.Reference));
    }

    [Fact]
    public void Suggest_FromAnItem_MatchesFieldLabels_AndSkipsContainers()
    {
        var entries = new[]
        {
            Field("AWS-Prod", "Access Key ID"), Field("AWS-Prod", "secret access key"), Field("AWS-Prod", "notes"),
            new BrowseEntry("access_key_id", BrowseKinds.Item, "DevOps/access_key_id", null),
        };
        var suggestions = ReferenceSuggestions.Suggest(S3, entries);
        Assert.Equal(["op://DevOps/AWS-Prod/Access Key ID", "op://DevOps/AWS-Prod/secret access key"], suggestions.Select(s => s.Reference));
    }

    [Fact]
    public void Suggest_NothingMatching_IsEmpty() =>
        Assert.Empty(ReferenceSuggestions.Suggest(S3, [Secret("DATABASE_URL"), Secret("STRIPE_KEY")]));
}
