namespace LightsOn.Rules;

/// <summary>
/// One decoded device message, addressed by indices rather than ids so the hot path never
/// hashes a string: <see cref="Household"/> is the shard-local household index and
/// <see cref="Device"/> the index of the device within that household's registry entry.
/// </summary>
/// <remarks>
/// <see cref="Timestamp"/> is the event time in UTC ticks, already checked for clock skew by
/// the gateway (it is never more than a few minutes past the receive time).
/// </remarks>
public readonly struct TelemetryEvent
{
    public TelemetryEvent(int household, int device, DeviceKind kind, long timestamp, bool state = false,
        double confidence = 1.0, double battery = double.NaN)
    {
        Household = household;
        Device = device;
        Kind = kind;
        Timestamp = timestamp;
        State = state;
        Confidence = confidence;
        Battery = battery;
    }

    public int Household { get; }
    public int Device { get; }
    public DeviceKind Kind { get; }
    public long Timestamp { get; }

    /// <summary><c>open</c> for a door, <c>on</c> for a light, <c>motion</c> for a motion sensor.</summary>
    public bool State { get; }

    /// <summary>A fall detector's confidence, 0..1.</summary>
    public double Confidence { get; }

    /// <summary>Battery percentage from a heartbeat, NaN when the message did not carry one.</summary>
    public double Battery { get; }

    public static TelemetryEvent Door(int household, int device, long timestamp, bool open) =>
        new(household, device, DeviceKind.Door, timestamp, open);

    public static TelemetryEvent Light(int household, int device, long timestamp, bool on) =>
        new(household, device, DeviceKind.Light, timestamp, on);

    public static TelemetryEvent Motion(int household, int device, long timestamp, bool motion = true) =>
        new(household, device, DeviceKind.Motion, timestamp, motion);

    public static TelemetryEvent Fall(int household, int device, long timestamp, double confidence = 1.0) =>
        new(household, device, DeviceKind.Fall, timestamp, confidence: confidence);

    public static TelemetryEvent Sos(int household, int device, long timestamp) =>
        new(household, device, DeviceKind.Sos, timestamp);

    public static TelemetryEvent Status(int household, int device, long timestamp, double battery = double.NaN) =>
        new(household, device, DeviceKind.Status, timestamp, battery: battery);
}
