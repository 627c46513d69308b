using System.Reflection;
using System.Text.Json;
using Dataraven.Core.Secrets;
using Dataraven.Core.VaultConnections;

namespace Dataraven.Tests.Unit.Validation;

/// <summary>Error keys must be the names the API serializes (snake_case), or the UI and clients cannot place them.</summary>
public class RequestWireNamesTests
{
    private static readonly JsonSerializerOptions Api = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static string[] WireNames<T>(T request) =>
        JsonDocument.Parse(JsonSerializer.Serialize(request, Api)).RootElement.EnumerateObject().Select(p => p.Name).Order().ToArray();

    private static string[] Constants(Type fields) =>
        fields.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order().ToArray();

    [Fact]
    public void VaultConnectionFields_MatchSerializedCreateRequest()
    {
        Assert.Equal(Constants(typeof(VaultConnectionFields)), WireNames(new CreateVaultConnectionRequest()));
    }

    [Fact]
    public void SecretFields_MatchSerializedCreateRequest()
    {
        Assert.Equal(Constants(typeof(SecretFields)), WireNames(new CreateSecretRequest()));
        Assert.Equal(new[] { "field_name", "reference" }, WireNames(new FieldMappingRequest()));
        Assert.Equal("field_mappings[2].reference", SecretFields.MappingReference(2));
        Assert.Equal("field_mappings[0].field_name", SecretFields.MappingFieldName(0));
        Assert.Equal("credentials.sas_url", SecretFields.Credential("sas_url"));
    }

    [Fact]
    public void CreateVaultConnectionRequest_VerifyOmitted_DefaultsToTrue()
    {
        var request = JsonSerializer.Deserialize<CreateVaultConnectionRequest>("""{"name": "x"}""", Api)!;

        Assert.True(request.Verify);
    }
}
