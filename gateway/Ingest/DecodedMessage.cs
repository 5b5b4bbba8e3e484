using LightsOn.Rules;

namespace LightsOn.Gateway.Ingest;

/// <summary>
/// An accepted device message: the point to store, the event for the rules engine, and the
/// shard that must see it. <see cref="TelemetryEvent.Household"/> is already the index within
/// that shard.
/// </summary>
internal readonly struct DecodedMessage(TelemetryPoint point, int shard, TelemetryEvent @event, int globalDevice = 0)
{
    public TelemetryPoint Point { get; } = point;
    public int Shard { get; } = shard;
    public TelemetryEvent Event { get; } = @event;

    /// <summary>The device's <see cref="DeviceDirectory.GlobalDeviceIndex"/>.</summary>
    public int GlobalDevice { get; } = globalDevice;

    public int LocalHousehold => Event.Household;
    public bool HasSeq => (Point.Fields & PointFields.Seq) != 0;

    /// <summary>The device's own <c>ts</c> when it sent one that was kept; what <see cref="SequenceWindow.Observe"/> takes.</summary>
    public long? DeviceTimestampMs => (Point.Fields & PointFields.DeviceTime) != 0 ? Point.TimestampMs : null;
}
