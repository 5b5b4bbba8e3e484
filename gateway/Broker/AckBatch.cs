using System.Threading.Tasks.Sources;
using LightsOn.Gateway.Pipeline;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// The acknowledgements owed for the publications of one read from a connection, in the order
/// they arrived. The read loop adds each packet id and hands the batch's messages to their
/// shards; each shard tells the batch which storage batch makes its message durable; the
/// connection's write loop waits until all of them are, then writes the acknowledgements in one
/// go. One object per read instead of one wait per message is what lets a connection keep
/// reading while earlier messages are still on their way to InfluxDB.
/// </summary>
/// <remarks>
/// MQTT requires PUBACKs in the order the PUBLISH packets came [MQTT-4.6.0-2]; the write loop
/// takes batches in order, and a batch only holds one read's packets. Pooled per connection:
/// after <see cref="Reset"/> it is used again without allocating.
/// </remarks>
internal sealed class AckBatch : IMessageSettlement, IValueTaskSource
{
    private readonly Lock _gate = new();
    private readonly List<Task> _durable = [];
    private ManualResetValueTaskSourceCore<bool> _settled = new() { RunContinuationsAsynchronously = true };
    private Ack[] _acks = new Ack[64];

    // One for the read still adding to the batch, plus one per message in a shard.
    private int _outstanding = 1;
    private Exception? _failure;

    public int Count { get; private set; }

    public ReadOnlySpan<Ack> Acks => _acks.AsSpan(0, Count);

    /// <summary>Why a message of the batch could not be made durable; null when all were.</summary>
    public Exception? Failure => _failure;

    /// <summary>The storage batches to wait for before acknowledging; read once <see cref="WhenSettled"/> completed.</summary>
    public List<Task> Durable => _durable;

    /// <summary>Owes an acknowledgement for a message settled without a shard (refused, rate-limited, dead-lettered).</summary>
    public void AddSettled(MqttPacketType type, ushort packetId, MqttReasonCode reason) => Add(new Ack(type, packetId, reason));

    /// <summary>Owes an acknowledgement for a message about to go to a shard, which settles it.</summary>
    public void AddPending(MqttPacketType type, ushort packetId)
    {
        Interlocked.Increment(ref _outstanding);
        Add(new Ack(type, packetId, MqttReasonCode.Success));
    }

    /// <summary>The read is done adding; <see cref="WhenSettled"/> completes once every shard has settled its messages.</summary>
    public void Seal() => Release();

    public ValueTask WhenSettled() => new(this, _settled.Version);

    public void Complete(Task durable)
    {
        if (!durable.IsCompletedSuccessfully)
        {
            lock (_gate)
            {
                // Messages of one read mostly land in the same storage batch: keep each once.
                if (_durable.Count == 0 || !ReferenceEquals(_durable[^1], durable))
                {
                    _durable.Add(durable);
                }
            }
        }
        Release();
    }

    public void Fail(Exception error)
    {
        Interlocked.CompareExchange(ref _failure, error, null);
        Release();
    }

    public void Reset()
    {
        Count = 0;
        _outstanding = 1;
        _failure = null;
        _durable.Clear();
        _settled.Reset();
    }

    private void Add(Ack ack)
    {
        if (Count == _acks.Length)
        {
            Array.Resize(ref _acks, _acks.Length * 2);
        }
        _acks[Count++] = ack;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _settled.SetResult(true);
        }
    }

    void IValueTaskSource.GetResult(short token) => _settled.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _settled.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _settled.OnCompleted(continuation, state, token, flags);

    /// <summary>One acknowledgement owed: PUBACK (QoS 1) or PUBREC (QoS 2), with its reason.</summary>
    public readonly record struct Ack(MqttPacketType Type, ushort PacketId, MqttReasonCode Reason);
}
