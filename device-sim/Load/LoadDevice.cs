using LightsOn.Rules;

namespace LightsOn.DeviceSim.Load;

/// <summary>
/// One registered device as the load generator drives it. Each device belongs to exactly one
/// connection, so its <c>seq</c> and <c>ts</c> rise in the order its messages go out.
/// </summary>
internal sealed class LoadDevice
{
    private LoadDevice(string household, string id, string kind, string kindTopic, string statusTopic)
    {
        Household = household;
        Id = id;
        Kind = kind;
        KindTopic = kindTopic;
        StatusTopic = statusTopic;
    }

    public string Household { get; }
    public string Id { get; }

    /// <summary>The device's own kind: door, light, motion, fall or sos.</summary>
    public string Kind { get; }
    public string KindTopic { get; }
    public string StatusTopic { get; }

    public long Seq { get; set; }
    public long LastTs { get; set; } = long.MinValue;
    public bool State { get; set; }
    public double Battery { get; set; } = 100;

    /// <summary>Every device of every household in a design.md registry, in file order.</summary>
    /// <exception cref="RegistryException">The file is not a valid registry (the message names the JSON path and reason).</exception>
    public static List<LoadDevice> ReadRegistry(string path, string root)
    {
        var registry = RegistryLoader.Parse(File.ReadAllBytes(path), path);
        var devices = new List<LoadDevice>();
        foreach (var household in registry.Households)
        {
            string prefix = $"{root}/{household.Community}/{household.Id}/";
            foreach (var device in household.Devices)
            {
                string kind = device.Kind.ToWire();
                devices.Add(new LoadDevice(household.Id, device.Id, kind, $"{prefix}{kind}/{device.Id}", $"{prefix}status/{device.Id}"));
            }
        }
        return devices;
    }
}
