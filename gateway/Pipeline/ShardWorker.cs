using System.Threading.Channels;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// The single loop that drives one rules shard: takes decoded messages from a bounded queue
/// in arrival order, applies the rules, hands each point to storage and tells the publisher
/// which batch will make its message durable. A tick on the same queue fires deadlines, so
/// deadlines and events never race.
/// </summary>
/// <remarks>
/// <para>The queue is bounded and storage pushes back when it is full: when storage or the rules
/// fall behind, publishers wait in <see cref="EnqueueAsync"/>, so the broker stops reading
/// their sockets (backpressure) and nothing is dropped.</para>
/// <para>SOS and fall messages take a lane of their own, served before the queue, and their
/// rules run even while the loop waits for storage to take a point: a backlog of telemetry or a
/// slow InfluxDB delays storing them, never their alerts. Their points are stored right after
/// the points already waiting.</para>
/// </remarks>
internal sealed class ShardWorker : IAsyncDisposable
{
    // Urgent messages whose rules ran while storage was full, held for storage at most this many:
    // past it, a device pressing SOS without pause waits like everyone else.
    private const int MaxUnstored = 4096;

    private readonly RulesShard _shard;
    private readonly IPointSink _sink;
    private readonly IngestCounters _counters;

    // De-duplication by seq, one window per device of the shard, found through the household's
    // first device: owned by this loop alone.
    private readonly SequenceWindow[] _windows;
    private readonly int[] _firstDevice;
    private readonly Channel<ShardWork> _queue;
    private readonly Channel<ShardWork> _urgent;

    // Messages whose rules have run, waiting for storage to take their points, oldest first.
    private readonly Queue<ShardWork> _unstored = new();

    // At most one wait outstanding per queue: a wait left behind when the other queue won would
    // otherwise pile up on the channel until its next item came.
    private Task<bool>? _normalWait;
    private Task<bool>? _urgentWait;
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
        _urgent = Channel.CreateBounded<ShardWork>(new BoundedChannelOptions(1024)
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
        (work.IsUrgent ? _urgent : _queue).Writer.WriteAsync(work, cancellationToken);

    private async Task RunAsync()
    {
        while (true)
        {
            while (_urgent.Reader.TryRead(out var urgent))
            {
                Apply(urgent);
            }
            if (_unstored.Count > 0)
            {
                await StoreAsync().ConfigureAwait(false);
                continue;
            }
            if (_queue.Reader.TryRead(out var work))
            {
                if (work.IsTick)
                {
                    _shard.Run(0, static (engine, _) => engine.Advance());
                }
                else
                {
                    Apply(work);
                }
                continue;
            }
            if (!await WaitForWorkAsync().ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Runs the rules for one message and puts it in line for storage; a duplicate is settled at once.</summary>
    private void Apply(in ShardWork work)
    {
        if (IsDuplicate(work))
        {
            // Already stored and applied when it first came: settle it at once.
            _counters.Duplicate();
            work.Settlement?.Complete(Task.CompletedTask);
            return;
        }
        try
        {
            _shard.Run(work, static (engine, w) => engine.Process(w.Event));
        }
        catch (Exception e) when (work.Settlement is not null)
        {
            work.Settlement.Fail(e);
            return;
        }
        _unstored.Enqueue(work);
    }

    /// <summary>
    /// Hands the waiting points to storage in order. While storage has no room for one, urgent
    /// messages that come in meanwhile get their rules run, and join the line.
    /// </summary>
    private async Task StoreAsync()
    {
        while (_unstored.TryPeek(out var work))
        {
            var appended = _sink.AppendAsync(work.Point);
            Task durable;
            try
            {
                if (appended.IsCompletedSuccessfully)
                {
                    durable = appended.Result;
                }
                else
                {
                    var waiting = appended.AsTask();
                    while (!waiting.IsCompleted && _unstored.Count < MaxUnstored)
                    {
                        await Task.WhenAny(waiting, UrgentReady()).ConfigureAwait(false);
                        while (_unstored.Count < MaxUnstored && _urgent.Reader.TryRead(out var urgent))
                        {
                            Apply(urgent);
                        }
                    }
                    durable = await waiting.ConfigureAwait(false);
                }
            }
            catch (Exception e) when (work.Settlement is not null)
            {
                _unstored.Dequeue();
                work.Settlement.Fail(e);
                continue;
            }
            _unstored.Dequeue();
            work.Settlement?.Complete(durable);
        }
    }

    /// <returns>False once both queues are completed and empty (the worker is stopping).</returns>
    private async ValueTask<bool> WaitForWorkAsync()
    {
        var normal = NormalReady();
        var urgent = UrgentReady();
        var first = await Task.WhenAny(normal, urgent).ConfigureAwait(false);
        if (await first.ConfigureAwait(false))
        {
            return true;
        }
        // One queue is done; the other may still have work.
        return await (first == normal ? urgent : normal).ConfigureAwait(false);
    }

    private Task<bool> NormalReady() =>
        _normalWait is { IsCompleted: false } wait ? wait : _normalWait = _queue.Reader.WaitToReadAsync().AsTask();

    private Task<bool> UrgentReady() =>
        _urgentWait is { IsCompleted: false } wait ? wait : _urgentWait = _urgent.Reader.WaitToReadAsync().AsTask();

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
        _urgent.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
