using System.Security.Cryptography;

namespace LightsOn.DeviceSim.Mosquitto;

/// <summary>
/// One line of a Mosquitto 2.x password file: <c>user:$7$iterations$salt$hash</c>, PBKDF2 with
/// HMAC-SHA512, a 12-byte salt and a 64-byte derived key, both standard base64 — the format
/// <c>mosquitto_passwd</c> itself writes and the broker reads back with the iteration count
/// taken from the line.
/// </summary>
internal static class MosquittoPassword
{
    // mosquitto_passwd's own default is 101; a device connects rarely, so the broker can
    // afford a count that makes a stolen password file expensive to attack.
    public const int DefaultIterations = 100_000;
    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    public static string Line(string username, string secret, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (username.Contains(':', StringComparison.Ordinal))
        {
            // ':' ends the user name in the file.
            throw new ArgumentException($"a Mosquitto user name cannot contain ':': {username}", nameof(username));
        }
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return $"{username}:$7${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>A fresh random secret: 24 random bytes, base64url without padding (32 characters).</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
