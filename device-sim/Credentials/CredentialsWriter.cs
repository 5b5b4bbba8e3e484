using System.Text.Json;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Credentials;

/// <summary>
/// Provisions device credentials for a registry: a fresh random secret per device, written twice
/// — hashed to the gateway's credentials file (<c>Mqtt:CredentialsPath</c>), and in clear to a
/// secrets file for whoever installs the devices (or for the simulator). The two files go to
/// different places: the gateway never needs the secrets.
/// </summary>
internal static class CredentialsWriter
{
    /// <summary>The number of devices written.</summary>
    public static int Write(Registry registry, Stream credentials, Stream secrets, int iterations = DeviceCredentialHash.MinIterations)
    {
        var options = new JsonWriterOptions { Indented = true };
        using var hashed = new Utf8JsonWriter(credentials, options);
        using var clear = new Utf8JsonWriter(secrets, options);
        hashed.WriteStartObject();
        hashed.WriteStartArray("devices");
        clear.WriteStartObject();
        clear.WriteStartArray("devices");
        int count = 0;
        foreach (var household in registry.Households)
        {
            foreach (var device in household.Devices)
            {
                string secret = DeviceCredentialHash.NewSecret();
                hashed.WriteStartObject();
                hashed.WriteString("household", household.Id);
                hashed.WriteString("device", device.Id);
                hashed.WriteString("hash", DeviceCredentialHash.Hash(secret, iterations));
                hashed.WriteEndObject();
                clear.WriteStartObject();
                clear.WriteString("household", household.Id);
                clear.WriteString("device", device.Id);
                clear.WriteString("username", household.Id + "/" + device.Id);
                clear.WriteString("secret", secret);
                clear.WriteEndObject();
                count++;
            }
        }
        hashed.WriteEndArray();
        hashed.WriteEndObject();
        clear.WriteEndArray();
        clear.WriteEndObject();
        return count;
    }
}
