using System.Text.Json;
using LightsOn.Rules;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// The device credentials file (<c>Mqtt:CredentialsPath</c>), read at start and again when it
/// changes (<see cref="DeviceCredentialsReloader"/>):
/// <c>{"devices":[{"household":"h0001","device":"l1","hash":"pbkdf2-sha256$…"}]}</c>.
/// Only hashes are kept; <c>device-sim credentials</c> writes the file and, apart, the secrets.
/// </summary>
internal static class DeviceCredentials
{
    /// <summary>
    /// The devices by user name. A malformed file fails the start, naming the path and entry;
    /// entries for households or devices not in the registry are left out and counted in
    /// <paramref name="unregistered"/> (a device taken out of service keeps no access).
    /// </summary>
    public static Dictionary<string, DeviceIdentity> Load(string path, Registry registry, string root, out int unregistered)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Mqtt:CredentialsPath {path} cannot be read: {e.Message}", e);
        }
        try
        {
            return Parse(bytes, registry, root, out unregistered);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Mqtt:CredentialsPath {path} is not valid: {e.Message}", e);
        }
    }

    public static Dictionary<string, DeviceIdentity> Parse(ReadOnlySpan<byte> json, Registry registry, string root, out int unregistered)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("devices", out var devices)
            || devices.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("expected an object with a \"devices\" array");
        }
        var identities = new Dictionary<string, DeviceIdentity>(StringComparer.Ordinal);
        unregistered = 0;
        int index = 0;
        foreach (var entry in devices.EnumerateArray())
        {
            string household = Id(entry, "household", index);
            string device = Id(entry, "device", index);
            string hash = Text(entry, "hash", index);
            if (!DeviceCredentialHash.IsWellFormed(hash, out string? problem))
            {
                throw new JsonException($"devices[{index}] ({household}/{device}): hash {problem}");
            }
            if (!registry.TryGetHousehold(household, out var known) || !known.Devices.Any(d => d.Id == device))
            {
                unregistered++;
                index++;
                continue;
            }
            var identity = new DeviceIdentity(household, device, hash, $"{root}/{known.Community}/{household}/");
            if (!identities.TryAdd(identity.UserName, identity))
            {
                throw new JsonException($"devices[{index}]: {identity.UserName} appears twice");
            }
            index++;
        }
        return identities;
    }

    // The user name is {household}/{device}: an id with '/' would make it ambiguous.
    private static string Id(JsonElement entry, string name, int index) =>
        Text(entry, name, index) is var id && !id.Contains('/')
            ? id
            : throw new JsonException($"devices[{index}]: \"{name}\" must not contain '/'");

    private static string Text(JsonElement entry, string name, int index) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new JsonException($"devices[{index}]: \"{name}\" must be a non-empty string");
}
