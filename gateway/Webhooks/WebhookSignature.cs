using System.Security.Cryptography;
using System.Text;

namespace LightsOn.Gateway.Webhooks;

/// <summary>
/// <c>X-LightsOn-Signature</c>: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the exact body
/// bytes, keyed with the webhook's secret as UTF-8 (docs/webhooks.md shows how to check it).
/// </summary>
internal static class WebhookSignature
{
    public const string HeaderName = "X-LightsOn-Signature";
    public const string Prefix = "sha256=";

    public static string Compute(string secret, ReadOnlySpan<byte> body) => Compute(Encoding.UTF8.GetBytes(secret), body);

    public static string Compute(byte[] key, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, body, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }
}
