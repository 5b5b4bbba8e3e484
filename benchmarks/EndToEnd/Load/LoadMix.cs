using LightsOn.Rules;

namespace LightsOn.Benchmarks.EndToEnd.Load;

/// <summary>
/// The load's devices and its message mix, the same as the device-sim <c>load</c> command's:
/// door, light and motion devices flip their state nine times in ten and otherwise send a
/// heartbeat; fall detectors and SOS buttons only send heartbeats, so the load raises no
/// critical alert.
/// </summary>
internal static class LoadMix
{
    /// <summary>Every device of the first <paramref name="households"/> households of a design.md registry, in file order.</summary>
    /// <exception cref="RegistryException">The file is not a valid registry.</exception>
    public static List<LoadDevice> ReadDevices(string registryPath, int households, string root = "lightson")
    {
        var registry = RegistryLoader.Parse(File.ReadAllBytes(registryPath), registryPath);
        if (registry.Households.Count < households)
        {
            throw new ArgumentOutOfRangeException(nameof(households), $"The registry {registryPath} has {registry.Households.Count} households, fewer than {households}.");
        }
        var devices = new List<LoadDevice>();
        foreach (var household in registry.Households.Take(households))
        {
            foreach (var device in household.Devices)
            {
                devices.Add(new LoadDevice(root, household.Community, household.Id, device));
            }
        }
        return devices;
    }

    /// <summary>Gives each device its starting battery level (60–100 %), drawn from <paramref name="random"/>.</summary>
    public static void Prepare(IEnumerable<LoadDevice> devices, Random random)
    {
        foreach (var device in devices)
        {
            device.Battery = 60 + random.Next(41);
        }
    }

    /// <summary>The device's next message at device time <paramref name="nowTs"/> (or just after its previous one).</summary>
    public static SyntheticMessage Next(LoadDevice device, Random random, long nowTs)
    {
        long ts = Math.Max(nowTs, device.LastTs + 1);
        device.LastTs = ts;
        long seq = ++device.Seq;
        bool hasState = device.Kind is DeviceKind.Door or DeviceKind.Light or DeviceKind.Motion;
        if (hasState && random.NextDouble() >= 0.1)
        {
            device.State = !device.State;
            return new SyntheticMessage { Device = device, IsHeartbeat = false, Seq = seq, Ts = ts, State = device.State };
        }
        // Drains slowly and stays above the low-battery threshold: load is not an incident.
        device.Battery = Math.Max(20, device.Battery - 0.01);
        return new SyntheticMessage { Device = device, IsHeartbeat = true, Seq = seq, Ts = ts, Battery = device.Battery, Rssi = -40 - random.Next(50) };
    }
}
