using System.Text.Json;

namespace LightsOn.DeviceSim.Credentials;

/// <summary>
/// The device secrets file <c>device-sim credentials</c> writes
/// (<c>{"devices":[{"household":"h0001","device":"l1","username":"h0001/l1","secret":"…"}]}</c>),
/// read so the simulator can connect as the devices themselves.
/// </summary>
internal sealed class DeviceSecrets
{
    private readonly Dictionary<string, string> _secrets;

    private DeviceSecrets(Dictionary<string, string> secrets) => _secrets = secrets;

    public int Count => _secrets.Count;

    /// <exception cref="InvalidDataException">The file is not a secrets file; the message says where.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DeviceSecrets Read(string path)
    {
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a device secrets file (device-sim credentials --secrets): {e.Message}", e);
        }
    }

    public static DeviceSecrets Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("expected an object with a \"devices\" array");
        }
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var entry in devices.EnumerateArray())
        {
            string household = Text(entry, "household", index);
            string device = Text(entry, "device", index);
            string secret = Text(entry, "secret", index);
            secrets[UserName(household, device)] = secret;
            index++;
        }
        return new DeviceSecrets(secrets);
    }

    /// <summary>The MQTT user name of a device, as the gateway takes it: <c>{household}/{device}</c>.</summary>
    public static string UserName(string household, string device) => household + "/" + device;

    public bool TryGet(string household, string device, out string userName, out string secret)
    {
        userName = UserName(household, device);
        return _secrets.TryGetValue(userName, out secret!);
    }

    private static string Text(JsonElement entry, string name, int index) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new JsonException($"devices[{index}]: \"{name}\" must be a non-empty string");
}
