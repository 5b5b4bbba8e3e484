using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Pipeline;

/// <summary>One item of a shard's queue: a decoded device message, the heartbeat tick, or a wake-up for urgent work.</summary>
internal readonly struct ShardWork
{
    private readonly Item _item;

    private ShardWork(Item item, in TelemetryPoint point, in TelemetryEvent rulesEvent, IMessageSettlement? settlement)
    {
        _item = item;
        Point = point;
        Event = rulesEvent;
        Settlement = settlement;
    }

    private enum Item : byte
    {
        Message,
        Tick,
        Wake,
    }

    public bool IsTick => _item == Item.Tick;

    /// <summary>Carries nothing: tells the shard's loop that urgent work is waiting beside the queue.</summary>
    public bool IsWake => _item == Item.Wake;

    /// <summary>An SOS or a fall: its rules run ahead of other telemetry (see <see cref="ShardWorker"/>).</summary>
    public bool IsUrgent => _item == Item.Message && Point.Kind is DeviceKind.Sos or DeviceKind.Fall;

    public TelemetryPoint Point { get; }

    /// <summary>The rules' view of the message, addressed by the shard-local household index.</summary>
    public TelemetryEvent Event { get; }

    /// <summary>Told when the message is settled; null for a message nobody waits on (QoS 0).</summary>
    public IMessageSettlement? Settlement { get; }

    public static ShardWork Tick => new(Item.Tick, default, default, null);

    public static ShardWork Wake => new(Item.Wake, default, default, null);

    public static ShardWork Message(in TelemetryPoint point, in TelemetryEvent rulesEvent, IMessageSettlement? settlement) =>
        new(Item.Message, point, rulesEvent, settlement);
}
