using System.Security.Cryptography;
using System.Text;

namespace Dataraven.Core.Common;

/// <summary>
/// Secrets the portal shows once and then knows only by hash (API keys, invitation links): the one hash, so a
/// presented token is looked up the way it was stored.
/// </summary>
public static class ShownOnceTokens
{
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
