using LightsOn.Gateway.Pipeline;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// The acknowledgements owed for the publications of one read from a connection, in the order
/// they arrived. The read loop adds each packet id and hands the batch's messages to their
/// shards; each shard tells the batch which storage batch makes its message durable; once all
/// of them are, the batch is ready and its connection writes the acknowledgements in one go.
/// One object per read instead of one wait per message is what lets a connection keep reading
/// while earlier messages are still on their way to InfluxDB.
/// </summary>
/// <remarks>
/// MQTT requires PUBACKs in the order the PUBLISH packets came [MQTT-4.6.0-2]: the connection
/// writes batches in the order it sealed them, and a batch only holds one read's packets. Pooled
/// per connection: after <see cref="Reset"/> it is used again without allocating.
/// </remarks>
internal sealed class AckBatch : IMessageSettlement
{
    private readonly Lock _gate = new();
    private readonly List<Task> _durable = [];
    private readonly Action _durableDone;
    private Ack[] _acks = new Ack[64];

    // One for the read still adding to the batch, plus one per message in a shard.
    private int _outstanding = 1;

    // Storage batches still to complete once every message is settled, plus one while they are counted.
    private int _pendingDurable;
    private Exception? _failure;
    private Action? _onReady;
    private volatile bool _ready;

    public AckBatch() => _durableDone = DurableDone;

    public int Count { get; private set; }

    public ReadOnlySpan<Ack> Acks => _acks.AsSpan(0, Count);

    /// <summary>Every message of the batch is durable, or one could not be made so (<see cref="Failure"/>).</summary>
    public bool IsReady => _ready;

    /// <summary>Why a message of the batch could not be made durable; null when all were. Read once <see cref="IsReady"/>.</summary>
    public Exception? Failure => _failure;

    /// <summary>Owes an acknowledgement for a message settled without a shard (refused, rate-limited, dead-lettered).</summary>
    public void AddSettled(MqttPacketType type, ushort packetId, MqttReasonCode reason) => Add(new Ack(type, packetId, reason));

    /// <summary>Owes an acknowledgement for a message about to go to a shard, which settles it.</summary>
    public void AddPending(MqttPacketType type, ushort packetId)
    {
        Interlocked.Increment(ref _outstanding);
        Add(new Ack(type, packetId, MqttReasonCode.Success));
    }

    /// <summary>
    /// The read is done adding. <paramref name="ready"/> is called once, when every message is
    /// durable: at once if they already are, else on the thread that completes the last storage
    /// batch.
    /// </summary>
    public void Seal(Action ready)
    {
        _onReady = ready;
        Release();
    }

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
        _pendingDurable = 0;
        _failure = null;
        _onReady = null;
        _ready = false;
        _durable.Clear();
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
        if (Interlocked.Decrement(ref _outstanding) != 0)
        {
            return;
        }
        // Every message is settled, so nothing adds to _durable any more.
        _pendingDurable = 1;
        foreach (var durable in _durable)
        {
            if (!durable.IsCompleted)
            {
                Interlocked.Increment(ref _pendingDurable);
                durable.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_durableDone);
            }
        }
        DurableDone();
    }

    private void DurableDone()
    {
        if (Interlocked.Decrement(ref _pendingDurable) != 0)
        {
            return;
        }
        foreach (var durable in _durable)
        {
            if (!durable.IsCompletedSuccessfully)
            {
                Interlocked.CompareExchange(ref _failure, durable.Exception?.InnerException ?? new OperationCanceledException("The storage batch was canceled."), null);
            }
        }
        _ready = true;
        _onReady!();
    }

    /// <summary>One acknowledgement owed: PUBACK (QoS 1) or PUBREC (QoS 2), with its reason.</summary>
    public readonly record struct Ack(MqttPacketType Type, ushort PacketId, MqttReasonCode Reason);
}
