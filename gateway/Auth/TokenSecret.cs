using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace LightsOn.Gateway.Auth;

/// <summary>
/// Token secrets: <c>lo_</c> and 32 random bytes in base64url (43 characters), 256 bits.
/// Only their SHA-256 is ever stored.
/// </summary>
/// <remarks>
/// A fast hash is enough here, unlike for passwords: a slow, salted hash protects secrets a
/// person chose, which can be guessed from a dictionary. These are 256 random bits; whoever
/// reads the tokens file still has 2^256 candidates to try per hash, at any hashing speed.
/// </remarks>
internal static class TokenSecret
{
    public const string Prefix = "lo_";
    public const int RandomBytes = 32;

    /// <summary>A chosen bootstrap secret must carry at least 29 characters after the prefix (about 170 bits).</summary>
    public const int MinBootstrapLength = 32;

    /// <summary>Longer input is refused before hashing: no real token is anywhere near this.</summary>
    public const int MaxLength = 256;

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool LooksLikeToken(string secret)
    {
        if (secret.Length < MinBootstrapLength || secret.Length > MaxLength || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (char c in secret.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }
        return true;
    }
}
