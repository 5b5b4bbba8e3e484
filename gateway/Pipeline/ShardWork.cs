using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Pipeline;

/// <summary>One item of a shard's queue: a decoded device message, or the heartbeat tick.</summary>
internal readonly struct ShardWork
{
    private ShardWork(bool isTick, in TelemetryPoint point, in TelemetryEvent rulesEvent, IMessageSettlement? settlement)
    {
        IsTick = isTick;
        Point = point;
        Event = rulesEvent;
        Settlement = settlement;
    }

    public bool IsTick { get; }

    /// <summary>An SOS or a fall: its rules run ahead of other telemetry (see <see cref="ShardWorker"/>).</summary>
    public bool IsUrgent => !IsTick && Point.Kind is DeviceKind.Sos or DeviceKind.Fall;
    public TelemetryPoint Point { get; }

    /// <summary>The rules' view of the message, addressed by the shard-local household index.</summary>
    public TelemetryEvent Event { get; }

    /// <summary>Told when the message is settled; null for a message nobody waits on (QoS 0).</summary>
    public IMessageSettlement? Settlement { get; }

    public static ShardWork Tick => new(true, default, default, null);

    public static ShardWork Message(in TelemetryPoint point, in TelemetryEvent rulesEvent, IMessageSettlement? settlement) =>
        new(false, point, rulesEvent, settlement);
}
