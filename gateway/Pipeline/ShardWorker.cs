using System.Threading.Channels;
using LightsOn.Gateway.Ingest;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// The single loop that drives one rules shard: takes decoded messages from a bounded queue
/// in arrival order, applies the rules, hands each point to storage and tells the publisher
/// which batch will make its message durable. A tick on the same queue fires deadlines, so
/// deadlines and events never race.
/// </summary>
/// <remarks>
/// The queue is bounded and storage pushes back when it is full: when storage or the rules
/// fall behind, publishers wait in <see cref="EnqueueAsync"/>, so the broker stops reading
/// their sockets (backpressure) and nothing is dropped.
/// </remarks>
internal sealed class ShardWorker : IAsyncDisposable
{
    private readonly RulesShard _shard;
    private readonly IPointSink _sink;
    private readonly IngestCounters _counters;

    // De-duplication by seq, one window per device of the shard, found through the household's
    // first device: owned by this loop alone.
    private readonly SequenceWindow[] _windows;
    private readonly int[] _firstDevice;
    private readonly Channel<ShardWork> _queue;
    private readonly ITimer _ticker;
    private readonly Task _loop;

    public ShardWorker(RulesShard shard, IPointSink sink, IngestCounters counters, TimeSpan tickInterval, int capacity = 8192)
    {
        _shard = shard;
        _sink = sink;
        _counters = counters;
        _firstDevice = new int[shard.Households.Count];
        int devices = 0;
        for (int h = 0; h < _firstDevice.Length; h++)
        {
            _firstDevice[h] = devices;
            devices += shard.Households[h].Devices.Count;
        }
        _windows = new SequenceWindow[devices];
        _queue = Channel.CreateBounded<ShardWork>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // Real time on purpose: the tick only decides how often deadlines are looked at; what is
        // due is decided by the rules' own clock (the demo clock included).
        _ticker = TimeProvider.System.CreateTimer(static s => ((ShardWorker)s!)._queue.Writer.TryWrite(ShardWork.Tick),
            this, tickInterval, tickInterval);
        _loop = Task.Run(RunAsync);
    }

    public int Id => _shard.Id;

    /// <summary>Messages waiting in the queue.</summary>
    public int QueueDepth => _queue.Reader.Count;

    public ValueTask EnqueueAsync(in ShardWork work, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(work, cancellationToken);

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var work))
            {
                if (work.IsTick)
                {
                    _shard.Run(0, static (engine, _) => engine.Advance());
                    continue;
                }
                if (IsDuplicate(work))
                {
                    // Already stored and applied when it first came: settle it at once.
                    _counters.Duplicate();
                    work.Settlement?.Complete(Task.CompletedTask);
                    continue;
                }
                try
                {
                    _shard.Run(work, static (engine, w) => engine.Process(w.Event));
                    var appended = _sink.AppendAsync(work.Point);
                    var durable = appended.IsCompletedSuccessfully ? appended.Result : await appended.ConfigureAwait(false);
                    work.Settlement?.Complete(durable);
                }
                catch (Exception e) when (work.Settlement is not null)
                {
                    work.Settlement.Fail(e);
                }
            }
        }
    }

    private bool IsDuplicate(in ShardWork work)
    {
        var point = work.Point;
        if ((point.Fields & PointFields.Seq) == 0)
        {
            return false;
        }
        long? deviceTime = (point.Fields & PointFields.DeviceTime) != 0 ? point.TimestampMs : null;
        ref var window = ref _windows[_firstDevice[work.Event.Household] + work.Event.Device];
        return window.Observe(point.Seq, deviceTime) == SequenceVerdict.Duplicate;
    }

    public async ValueTask DisposeAsync()
    {
        await _ticker.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
