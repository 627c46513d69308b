using System.Net;
using System.Text;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Api;

/// <summary>/v1 bodies are JSON by media type and by content: one value per key, nothing else accepted, nothing changed.</summary>
public sealed class RequestBodyTests(LocalApiPortal portal) : ApiTestBase(portal), IClassFixture<LocalApiPortal>
{
    private const string ApiKeyBody = """{"name": "ci", "role": "viewer"}""";

    public static TheoryData<string?> NonJsonMediaTypes => new("text/plain", "application/x-www-form-urlencoded", "text/json-ish", null);

    [Theory]
    [MemberData(nameof(NonJsonMediaTypes))]
    public async Task JsonBody_WithNonJsonContentType_Is415UnsupportedMediaType_AndChangesNothing(string? mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ApiKeyBody));
        if (mediaType is not null)
        {
            content.Headers.ContentType = new(mediaType);
        }
        var response = await Owner().PostAsync(Url(Acme, "/api-keys"), content);
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/json", (string?)problem["title"]);
        Assert.Single((await (await Owner().GetAsync(Url(Acme, "/api-keys"))).ReadJsonAsync()).AsArray());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/merge-patch+json")]
    public async Task JsonBody_WithJsonContentType_IsAccepted(string mediaType)
    {
        var content = new StringContent(ApiKeyBody, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(mediaType);
        await (await Owner().PostAsync(Url(Acme, "/api-keys"), content)).AssertStatusAsync(HttpStatusCode.Created);
    }

    public static TheoryData<string, string, string> DuplicateKeys => new()
    {
        { "/api-keys", """{"name": "ci", "role": "viewer", "role": "owner"}""", "role" },
        { "/vault-connections", """{"name": "a", "name": "b", "vault_type": "doppler", "access_token": "dp.st.x", "project": "p", "config": "c"}""", "name" },
        { "/secrets", """{"name": "s", "secret_type": "s3", "auth_method": "s3_access_key", "credentials": {"access_key_id": "AKIAABCDEFGHIJKLMNOP", "access_key_id": "AKIAQRSTUVWXYZABCDEF", "secret_access_key": "abcdefghijklmnopqrstuvwxyz0123456789ABCD"}}""", "credentials.access_key_id" },
    };

    [Theory]
    [MemberData(nameof(DuplicateKeys))]
    public async Task DuplicateKey_Is400NamingTheKey_AndChangesNothing(string path, string body, string field)
    {
        var before = await CountAsync(path);
        var problem = await (await Owner().PostRawAsync(Url(Acme, path), body)).AssertValidationErrorAsync(field);
        Assert.Contains("more than once", problem["errors"]![field]![0]!.ToString());
        Assert.Equal(before, await CountAsync(path));
    }

    [Fact]
    public async Task DuplicateKey_InPatch_Is400AndNameUnchanged()
    {
        var created = await CreateConnectionAsync(name: "original");
        var response = await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{created["id"]}"), """{"name": "one", "name": "two"}""");
        await response.AssertValidationErrorAsync("name");
        var after = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{created["id"]}"))).ReadJsonAsync();
        Assert.Equal("original", (string?)after["name"]);
    }

    private async Task<int> CountAsync(string path) =>
        (await (await Owner().GetAsync(Url(Acme, path))).ReadJsonAsync()).AsArray().Count;
}
