using System.Collections.Concurrent;
using System.Text.Json;
using LightsOn.Gateway.Mqtt;

namespace LightsOn.Gateway.Tests.Fixtures;

/// <summary>
/// Writes a device credentials file (<c>Mqtt:CredentialsPath</c>) whole, with PBKDF2 hashes, as
/// an operator's tool would.
/// </summary>
internal static class CredentialsFile
{
    // A hash per secret, made once: an entry written again with the same secret keeps its hash
    // (a new hash, with a new salt, is a new entry to the gateway), and hashing is slow on purpose.
    private static readonly ConcurrentDictionary<string, string> Hashes = new(StringComparer.Ordinal);

    public static Task WriteAsync(string path, params (string Household, string Device, string Secret)[] devices) =>
        File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
        {
            devices = devices.Select(d => new
            {
                household = d.Household,
                device = d.Device,
                hash = Hashes.GetOrAdd(d.Secret, DeviceCredentialHash.Hash),
            }),
        }));
}
