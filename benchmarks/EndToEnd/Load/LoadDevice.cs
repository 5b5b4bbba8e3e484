using System.Text;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.EndToEnd.Load;

/// <summary>
/// One registered device as the load drives it. Each device belongs to exactly one connection
/// (or one InfluxDB writer), so its <c>seq</c> and <c>ts</c> rise in the order its messages go out:
/// every message is its own point (same series and time would overwrite) and never a duplicate.
/// </summary>
internal sealed class LoadDevice
{
    public LoadDevice(string root, string community, string household, Device device)
    {
        Kind = device.Kind;
        string kind = device.Kind.ToWire();
        KindTopic = Encoding.UTF8.GetBytes($"{root}/{community}/{household}/{kind}/{device.Id}");
        StatusTopic = Encoding.UTF8.GetBytes($"{root}/{community}/{household}/status/{device.Id}");
        // design.md, Storage: measurement telemetry, tags community, household, device, kind (ids need no escaping).
        KindSeries = Encoding.UTF8.GetBytes($"telemetry,community={community},device={device.Id},household={household},kind={kind} ");
        StatusSeries = Encoding.UTF8.GetBytes($"telemetry,community={community},device={device.Id},household={household},kind=status ");
    }

    /// <summary>The device's own kind: door, light, motion, fall or sos.</summary>
    public DeviceKind Kind { get; }

    public byte[] KindTopic { get; }
    public byte[] StatusTopic { get; }

    /// <summary>The line-protocol measurement and tags of the device's own kind, up to the space before the fields.</summary>
    public byte[] KindSeries { get; }

    public byte[] StatusSeries { get; }

    public long Seq { get; set; }
    public long LastTs { get; set; } = long.MinValue;
    public bool State { get; set; }
    public double Battery { get; set; } = 100;
}
