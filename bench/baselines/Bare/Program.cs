using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

// The framework's floor for the portal's API figures:
//   GET  /        200 (start-up figure)
//   GET  /list    the bytes of the portal's secret list (file in BENCH_LIST_FILE), as application/json
//   POST /create  one AES-GCM encryption of the body and one SQLite insert (WAL), answering 201
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

var listFile = Environment.GetEnvironmentVariable("BENCH_LIST_FILE");
var listBytes = listFile is null ? "[]"u8.ToArray() : File.ReadAllBytes(listFile);
var connectionString = new SqliteConnectionStringBuilder
{
    DataSource = Environment.GetEnvironmentVariable("BENCH_DB") ?? "bare.db",
    DefaultTimeout = 30,
}.ToString();
var key = RandomNumberGenerator.GetBytes(32);
var schemaReady = new Lazy<Task>(async () =>
{
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS secrets (id TEXT PRIMARY KEY, name TEXT NOT NULL, sealed BLOB NOT NULL);";
    await command.ExecuteNonQueryAsync();
});

app.MapGet("/", () => "ok");
app.MapGet("/list", () => Results.Bytes(listBytes, "application/json; charset=utf-8"));
app.MapPost("/create", async (HttpRequest request) =>
{
    await schemaReady.Value;
    using var body = await JsonDocument.ParseAsync(request.Body);
    var name = body.RootElement.GetProperty("name").GetString()!;
    var plaintext = JsonSerializer.SerializeToUtf8Bytes(body.RootElement.GetProperty("credentials"));
    var nonce = RandomNumberGenerator.GetBytes(12);
    var sealedValue = new byte[12 + 16 + plaintext.Length];
    using (var aes = new AesGcm(key, 16))
    {
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16));
    }
    nonce.CopyTo(sealedValue, 0);
    var id = Guid.NewGuid();
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync();
    await using var insert = connection.CreateCommand();
    insert.CommandText = "INSERT INTO secrets (id, name, sealed) VALUES ($id, $name, $sealed)";
    insert.Parameters.AddWithValue("$id", id.ToString());
    insert.Parameters.AddWithValue("$name", name);
    insert.Parameters.AddWithValue("$sealed", sealedValue);
    await insert.ExecuteNonQueryAsync();
    return Results.Json(new { id, name }, statusCode: 201);
});
app.Run();
