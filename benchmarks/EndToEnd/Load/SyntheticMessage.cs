using System.Globalization;
using System.Text.Unicode;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.EndToEnd.Load;

/// <summary>
/// One device message of the load: a door, light or motion event, or a heartbeat with battery
/// and signal. Written either as the device's MQTT payload or as the InfluxDB line the gateway
/// stores for it, so the storage ceiling is measured on the very points the gateway writes.
/// </summary>
internal readonly struct SyntheticMessage
{
    /// <summary>Enough for the longest payload or line of a registered device (ids are at most 64 characters).</summary>
    public const int MaxLineBytes = 512;

    public required LoadDevice Device { get; init; }
    public required bool IsHeartbeat { get; init; }
    public required long Seq { get; init; }

    /// <summary>Device time, Unix epoch milliseconds.</summary>
    public required long Ts { get; init; }

    public bool State { get; init; }
    public double Battery { get; init; }
    public int Rssi { get; init; }

    public ReadOnlySpan<byte> Topic => IsHeartbeat ? Device.StatusTopic : Device.KindTopic;

    /// <summary>The design.md JSON payload, as the device-sim <c>load</c> command sends it.</summary>
    public int WritePayload(Span<byte> destination)
    {
        bool ok = IsHeartbeat
            ? Utf8.TryWrite(destination, CultureInfo.InvariantCulture, $"{{\"ts\":{Ts},\"seq\":{Seq},\"battery\":{Battery:0.##},\"rssi\":{Rssi}}}", out int written)
            : Utf8.TryWrite(destination, CultureInfo.InvariantCulture, $"{{\"ts\":{Ts},\"seq\":{Seq},\"{StateField}\":{(State ? "true" : "false")}}}", out written);
        return ok ? written : throw new ArgumentException("The destination is too small for the payload.", nameof(destination));
    }

    /// <summary>The line-protocol point the gateway writes for this message (design.md, Storage: booleans as booleans, seq an integer, other numbers floats).</summary>
    public int WriteLine(Span<byte> destination)
    {
        var series = IsHeartbeat ? Device.StatusSeries : Device.KindSeries;
        series.CopyTo(destination);
        var rest = destination[series.Length..];
        bool ok = IsHeartbeat
            ? Utf8.TryWrite(rest, CultureInfo.InvariantCulture, $"battery={Battery:0.##},rssi={Rssi},seq={Seq}i {Ts}\n", out int written)
            : Utf8.TryWrite(rest, CultureInfo.InvariantCulture, $"{StateField}={(State ? "true" : "false")},seq={Seq}i {Ts}\n", out written);
        return ok ? series.Length + written : throw new ArgumentException("The destination is too small for the line.", nameof(destination));
    }

    private string StateField => Device.Kind switch
    {
        DeviceKind.Door => "open",
        DeviceKind.Light => "on",
        _ => "motion",
    };
}
