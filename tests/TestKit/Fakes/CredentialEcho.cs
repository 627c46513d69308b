namespace Dataraven.Tests.Fakes;

/// <summary>How a badly behaved provider repeats a presented credential in its error text.</summary>
public enum CredentialEcho
{
    /// <summary>The provider does not repeat the credential.</summary>
    None,

    /// <summary>Exactly as presented.</summary>
    Verbatim,

    /// <summary>Upper-cased.</summary>
    UpperCase,

    /// <summary>Without its <c>dp.st.</c> / <c>ops_</c> prefix.</summary>
    WithoutPrefix,

    /// <summary>Only its first two thirds.</summary>
    Truncated,

    /// <summary>Inside a longer word.</summary>
    Embedded,
}

public static class CredentialEchoes
{
    public static readonly CredentialEcho[] Leaking =
        [CredentialEcho.Verbatim, CredentialEcho.UpperCase, CredentialEcho.WithoutPrefix, CredentialEcho.Truncated, CredentialEcho.Embedded];

    private static readonly string[] Prefixes = ["dp.st.", "ops_"];

    /// <summary>The text a provider echoing <paramref name="credential"/> this way puts into its error.</summary>
    public static string Apply(this CredentialEcho echo, string credential) => echo switch
    {
        CredentialEcho.None => "",
        CredentialEcho.Verbatim => credential,
        CredentialEcho.UpperCase => credential.ToUpperInvariant(),
        CredentialEcho.WithoutPrefix => Prefixes.FirstOrDefault(p => credential.StartsWith(p, StringComparison.Ordinal)) is { } prefix
            ? credential[prefix.Length..]
            : credential,
        CredentialEcho.Truncated => credential[..(credential.Length * 2 / 3)],
        CredentialEcho.Embedded => $"auth{credential}ed",
        _ => throw new ArgumentOutOfRangeException(nameof(echo)),
    };

    /// <summary>
    /// The first run of <paramref name="length"/> characters of any credential found in <paramref name="text"/>, ignoring case;
    /// null when none is there. Deliberately naive: it checks the sanitizer, so it must not share its code.
    /// </summary>
    public static string? FindFragment(string? text, IEnumerable<string> credentials, int length = 6)
    {
        if (string.IsNullOrEmpty(text)) return null;
        foreach (var credential in credentials)
        {
            for (var start = 0; start + length <= credential.Length; start++)
            {
                var fragment = credential.Substring(start, length);
                if (text.Contains(fragment, StringComparison.OrdinalIgnoreCase)) return fragment;
            }
        }
        return null;
    }
}
