using LightsOn.Rules;

namespace LightsOn.Gateway.Ingest;

/// <summary>
/// One accepted device message as it is stored: the registry objects it belongs to (no id
/// strings are allocated per message; they are the registry's own), the event time, and the
/// payload fields that were present. Becomes one <c>telemetry</c> point in InfluxDB.
/// </summary>
/// <remarks>
/// Field types never change (design.md, Storage): <see cref="State"/> is written as the
/// boolean named by the kind (<c>open</c>, <c>on</c>, <c>motion</c>), <see cref="Seq"/> as an
/// integer, every other number as a float. A point must carry at least one field: an
/// <c>sos</c> press is written as <c>pressed=true</c>, and a heartbeat with no battery, rssi
/// or seq as <c>heartbeat=true</c>.
/// </remarks>
internal readonly struct TelemetryPoint
{
    public required Household Household { get; init; }

    /// <summary>Index of the publishing device in <see cref="Household"/>'s device list.</summary>
    public required int Device { get; init; }

    /// <summary>The topic's kind: the device's own, or <see cref="DeviceKind.Status"/> for a heartbeat.</summary>
    public required DeviceKind Kind { get; init; }

    /// <summary>Event time, Unix epoch milliseconds (the device's <c>ts</c>, or the receive time).</summary>
    public required long TimestampMs { get; init; }

    public required PointFields Fields { get; init; }
    public bool State { get; init; }
    public double Lux { get; init; }
    public double Confidence { get; init; }
    public double Battery { get; init; }
    public double Rssi { get; init; }
    public long Seq { get; init; }

    public string DeviceId => Household.Devices[Device].Id;
}

/// <summary>Which optional fields a <see cref="TelemetryPoint"/> carries.</summary>
[Flags]
internal enum PointFields : byte
{
    None = 0,
    State = 1,
    Lux = 2,
    Confidence = 4,
    Battery = 8,
    Rssi = 16,
    Seq = 32,

    /// <summary>The device's <c>ts</c> was too far in the future or too old and was replaced by the receive time (stored as <c>clockSkew=true</c>).</summary>
    ClockSkewed = 64,

    /// <summary>
    /// <see cref="TelemetryPoint.TimestampMs"/> is the device's own <c>ts</c> (present and not
    /// skewed), not the receive time. Not a stored field: de-duplication uses it to tell a
    /// rebooted device from a redelivery (<see cref="SequenceWindow"/>).
    /// </summary>
    DeviceTime = 128,
}
