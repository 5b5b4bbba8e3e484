using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

// This one file is compiled into the gateway (which verifies) and into the device simulator
// (which provisions: `device-sim credentials`), linked from gateway/Mqtt. Neither project
// references the other, and the rules library is the pure domain, so a shared source file is
// the one place the format lives without a third assembly. The namespace follows the project so
// a test assembly that sees the internals of both has no ambiguous type.
#if LIGHTSON_DEVICESIM
namespace LightsOn.DeviceSim.Credentials;
#else
namespace LightsOn.Gateway.Mqtt;
#endif

/// <summary>
/// A device secret kept as <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>:
/// PBKDF2 with HMAC-SHA256, a random salt per entry, and a work factor slow on purpose, so a
/// stolen credentials file does not give the secrets away. Verified once per CONNECT.
/// </summary>
internal static class DeviceCredentialHash
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>The work factor written by <see cref="Hash(string)"/>, and the least one accepted.</summary>
    public const int MinIterations = 100_000;

    // An upper bound so a mistyped file cannot make every CONNECT take minutes.
    public const int MaxIterations = 10_000_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Verified against when the user name is unknown, so an unknown device takes as long to
    // refuse as a wrong secret and the time does not tell which devices exist.
    private static readonly string DummyHash = Hash("not-a-device-secret");

    public static string Hash(string secret) => Hash(secret, MinIterations);

    public static string Hash(string secret, int iterations)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>A fresh random device secret: 24 bytes, base64url without padding (32 characters).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>True when <paramref name="encoded"/> is a hash in this format; the reason when not.</summary>
    public static bool IsWellFormed(string encoded, [NotNullWhen(false)] out string? problem) =>
        TryParse(encoded, out _, out _, out _, out problem);

    /// <summary>
    /// True when <paramref name="secret"/> matches <paramref name="encoded"/>. The comparison is in
    /// constant time; a malformed hash matches nothing.
    /// </summary>
    public static bool Verify(string secret, string encoded)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!TryParse(encoded, out int iterations, out byte[]? salt, out byte[]? expected, out _))
        {
            return false;
        }
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the time of one verification and fails: for unknown user names.</summary>
    public static bool VerifyNothing(string secret)
    {
        Verify(secret, DummyHash);
        return false;
    }

    private static bool TryParse(string? encoded, out int iterations, [NotNullWhen(true)] out byte[]? salt, [NotNullWhen(true)] out byte[]? hash, [NotNullWhen(false)] out string? problem)
    {
        iterations = 0;
        salt = null;
        hash = null;
        string[] parts = (encoded ?? "").Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            problem = $"not in the form {Scheme}$<iterations>$<salt base64>$<hash base64>";
            return false;
        }
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations || iterations > MaxIterations)
        {
            problem = $"iterations must be a number from {MinIterations} to {MaxIterations}";
            return false;
        }
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            problem = "salt or hash is not base64";
            return false;
        }
        if (salt.Length < 8 || hash.Length < 16)
        {
            problem = "salt or hash too short";
            return false;
        }
        problem = null;
        return true;
    }
}
