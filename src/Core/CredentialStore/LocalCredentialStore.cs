using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dataraven.Core.Common;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.CredentialStore;

public sealed class LocalCredentialStoreOptions
{
    /// <summary>Base64 of a 32-byte key. When empty, <see cref="KeyFile"/> is used (and created on first run).</summary>
    public string? Key { get; set; }

    /// <summary>Where the generated key lives when <see cref="Key"/> is not set.</summary>
    public string KeyFile { get; set; } = "data/credential-store.key";

    /// <summary>Older keys (base64) still accepted for reading, so the key can be rotated.</summary>
    public List<string> RetiredKeys { get; set; } = [];

    /// <summary>Folder holding one encrypted file per credential.</summary>
    public string Path { get; set; } = "data/credentials";
}

/// <summary>
/// The embedded default store: one file per credential, AES-256-GCM with a random nonce per write,
/// the object's path as associated data (a file copied onto another object does not decrypt), and
/// the key id stored with each value so retired keys can still be read after a rotation.
/// </summary>
public sealed class LocalCredentialStore : ICredentialStore
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string TempSuffix = ".tmp";

    private readonly string _root;
    private readonly byte[] _key;
    private readonly string _keyId;
    private readonly Dictionary<string, byte[]> _keysById;

    public LocalCredentialStore(IOptions<LocalCredentialStoreOptions> options, string contentRoot)
    {
        var o = options.Value;
        _root = System.IO.Path.GetFullPath(System.IO.Path.Combine(contentRoot, o.Path));
        _key = string.IsNullOrWhiteSpace(o.Key)
            ? LoadOrCreateKeyFile(System.IO.Path.GetFullPath(System.IO.Path.Combine(contentRoot, o.KeyFile)))
            : DecodeKey(o.Key, "CredentialStore:Local:Key");
        _keyId = KeyIdOf(_key);
        _keysById = new() { [_keyId] = _key };
        foreach (var retired in o.RetiredKeys)
        {
            var k = DecodeKey(retired, "CredentialStore:Local:RetiredKeys");
            _keysById.TryAdd(KeyIdOf(k), k);
        }
    }

    private LocalCredentialStore(LocalCredentialStore keys, string root)
    {
        _root = root;
        _key = keys._key;
        _keyId = keys._keyId;
        _keysById = keys._keysById;
    }

    public string KeyId => _keyId;

    /// <summary>The folder of the entries (one <c>.json</c> file per credential).</summary>
    public string Root => _root;

    /// <summary>The same keys over another folder (a backup's copy of the entries).</summary>
    public LocalCredentialStore At(string root) => new(this, System.IO.Path.GetFullPath(root));

    /// <summary>The name of a finished entry's file: what a copy of the store consists of (temp files are half-written).</summary>
    public static bool IsEntryFile(string path) => path.EndsWith(".json", StringComparison.Ordinal);

    public async Task PutAsync(CredentialKey key, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(fields);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using (var aes = new AesGcm(_key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(key.RelativePath));
        }
        CryptographicOperations.ZeroMemory(plaintext);

        var envelope = JsonSerializer.SerializeToUtf8Bytes(new Envelope(1, _keyId, Convert.ToBase64String(nonce),
            Convert.ToBase64String(ciphertext), Convert.ToBase64String(tag)));
        var file = FileOf(key);
        OwnerOnly.Folder(System.IO.Path.GetDirectoryName(file)!);
        // Write, flush to disk, then rename: a reader (or a crash) never sees half a value, only a whole .tmp file.
        var temp = file + "." + Guid.NewGuid().ToString("N") + TempSuffix;
        await using (var stream = new FileStream(temp, OwnerOnly.NewFile()))
        {
            await stream.WriteAsync(envelope, ct);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, file, overwrite: true);
    }

    public async Task<IReadOnlyDictionary<string, string>?> GetAsync(CredentialKey key, CancellationToken ct = default)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(FileOf(key), ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Missing, or deleted by a concurrent request between any check and the read: the same answer.
            return null;
        }
        var envelope = JsonSerializer.Deserialize<Envelope>(bytes)
            ?? throw new CredentialStoreUnavailableException($"The stored credential {key} is unreadable.");
        if (!_keysById.TryGetValue(envelope.Kid, out var k))
        {
            throw new CredentialStoreUnavailableException(
                $"The stored credential {key} was encrypted with key {envelope.Kid}, which is not configured.");
        }
        var ciphertext = Convert.FromBase64String(envelope.Ct);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(k, TagSize);
            aes.Decrypt(Convert.FromBase64String(envelope.Nonce), ciphertext, Convert.FromBase64String(envelope.Tag),
                plaintext, Encoding.UTF8.GetBytes(key.RelativePath));
            return JsonSerializer.Deserialize<Dictionary<string, string>>(plaintext);
        }
        catch (CryptographicException)
        {
            throw new CredentialStoreUnavailableException($"The stored credential {key} failed its integrity check.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    public Task DeleteAsync(CredentialKey key, CancellationToken ct = default)
    {
        File.Delete(FileOf(key));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<CredentialKey> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.CompletedTask;
        if (!Directory.Exists(_root))
        {
            yield break;
        }
        foreach (var file in Directory.EnumerateFiles(_root, "*.json", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            var relative = System.IO.Path.GetRelativePath(_root, file).Replace('\\', '/');
            if (CredentialKey.TryParse(relative[..^".json".Length], out var key))
            {
                yield return key;
            }
        }
    }

    public async IAsyncEnumerable<string> ListIncompleteWritesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.CompletedTask;
        if (!Directory.Exists(_root))
        {
            yield break;
        }
        foreach (var file in Directory.EnumerateFiles(_root, "*" + TempSuffix, SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            yield return System.IO.Path.GetRelativePath(_root, file).Replace('\\', '/');
        }
    }

    public Task DeleteIncompleteWriteAsync(string name, CancellationToken ct = default)
    {
        var file = System.IO.Path.GetFullPath(System.IO.Path.Combine(_root, name));
        if (!file.StartsWith(_root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || !file.EndsWith(TempSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException("Not an incomplete write of this store.", nameof(name));
        }
        File.Delete(file);
        return Task.CompletedTask;
    }

    /// <summary>The key loaded when the store was built; here the folder must take a file and list its entries.</summary>
    public Task ProbeAsync(CancellationToken ct = default)
    {
        try
        {
            if (!Directory.Exists(_root))
            {
                OwnerOnly.Folder(_root);
            }
            // Neither an entry (.json) nor an incomplete write (.tmp): reconciliation never sees it, even after a crash.
            var probe = System.IO.Path.Combine(_root, ".probe-" + Guid.NewGuid().ToString("N"));
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            _ = Directory.EnumerateFileSystemEntries(_root).Any();
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreUnavailableException($"The local credential store folder {_root} is not readable and writable ({e.GetType().Name}).");
        }
    }

    private string FileOf(CredentialKey key) => System.IO.Path.Combine(_root, key.RelativePath + ".json");

    private static string KeyIdOf(byte[] key) => Convert.ToHexString(SHA256.HashData(key))[..16].ToLowerInvariant();

    private static byte[] DecodeKey(string base64, string setting)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{setting} must be base64 of 32 bytes.");
        }
        return key.Length == 32 ? key : throw new InvalidOperationException($"{setting} must be base64 of 32 bytes.");
    }

    private static byte[] LoadOrCreateKeyFile(string path)
    {
        if (File.Exists(path))
        {
            return DecodeKey(File.ReadAllText(path), path);
        }
        OwnerOnly.Folder(System.IO.Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            // CreateNew: if two processes start at once, one wins and the other reads its key.
            using var stream = new FileStream(path, OwnerOnly.NewFile());
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
        }
        catch (IOException) when (File.Exists(path))
        {
            return DecodeKey(File.ReadAllText(path), path);
        }
        return key;
    }

    private sealed record Envelope(int V, string Kid, string Nonce, string Ct, string Tag);
}
