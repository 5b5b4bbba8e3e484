using System.Text.Json;

namespace LightsOn.DeviceSim.Load;

/// <summary>
/// One registered device as the load generator drives it. Each device belongs to exactly one
/// connection, so its <c>seq</c> and <c>ts</c> rise in the order its messages go out.
/// </summary>
internal sealed class LoadDevice
{
    private LoadDevice(string kind, string kindTopic, string statusTopic)
    {
        Kind = kind;
        KindTopic = kindTopic;
        StatusTopic = statusTopic;
    }

    /// <summary>The device's own kind: door, light, motion, fall or sos.</summary>
    public string Kind { get; }
    public string KindTopic { get; }
    public string StatusTopic { get; }

    public long Seq { get; set; }
    public long LastTs { get; set; } = long.MinValue;
    public bool State { get; set; }
    public double Battery { get; set; } = 100;

    /// <summary>Every device of every household in a design.md registry, in file order.</summary>
    public static List<LoadDevice> ReadRegistry(string path, string root)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var devices = new List<LoadDevice>();
        if (!document.RootElement.TryGetProperty("households", out var households) || households.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: no \"households\" array; is it a registry file?");
        }
        foreach (var household in households.EnumerateArray())
        {
            string id = household.GetProperty("id").GetString()!;
            string community = household.GetProperty("community").GetString()!;
            if (!household.TryGetProperty("devices", out var list))
            {
                continue;
            }
            foreach (var device in list.EnumerateArray())
            {
                string deviceId = device.GetProperty("id").GetString()!;
                string kind = device.GetProperty("kind").GetString()!;
                string prefix = $"{root}/{community}/{id}/";
                devices.Add(new LoadDevice(kind, $"{prefix}{kind}/{deviceId}", $"{prefix}status/{deviceId}"));
            }
        }
        return devices;
    }
}
