using System.Collections.Concurrent;
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
/// <para>SOS and fall messages wait beside the queue instead of in it, and are taken before the
/// next queued item; their rules run even while the loop waits for storage to take a point. So
/// a backlog of telemetry or a slow InfluxDB delays storing them, never their alerts. Their
/// points are stored after the points already waiting.</para>
/// </remarks>
internal sealed class ShardWorker : IAsyncDisposable
{
    // Urgent messages beside the queue, and those whose rules ran while storage was full, at
    // most this many each: past it, a device pressing SOS without pause waits in the queue.
    private const int MaxUrgent = 1024;

    private readonly RulesShard _shard;
    private readonly IPointSink _sink;
    private readonly IngestCounters _counters;

    private readonly Channel<ShardWork> _queue;
    private readonly ConcurrentQueue<ShardWork> _urgent = new();
    private int _urgentCount;

    // Set when urgent work arrives while the loop waits for storage; allocated only then.
    private TaskCompletionSource? _urgentArrived;

    // Messages whose rules have run, waiting for storage to take their points, oldest first.
    private readonly Queue<ShardWork> _unstored = new();

    // 1 while a thread works on the shard: the loop, or a publisher running one message inline.
    // Everything below the queue (_unstored, _headAppend, the shard's rules) is touched only by
    // the holder.
    private int _busy;

    // The append of _unstored's head, started by a publisher inline and not finished (storage
    // had no room): the loop finishes it.
    private Task<Task>? _headAppend;
    private readonly ITimer _ticker;
    private readonly Task _loop;

    public ShardWorker(RulesShard shard, IPointSink sink, IngestCounters counters, TimeSpan tickInterval, int capacity = 8192)
    {
        _shard = shard;
        _sink = sink;
        _counters = counters;
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

    public ValueTask EnqueueAsync(in ShardWork work, CancellationToken cancellationToken)
    {
        if (TryRunInline(work))
        {
            return ValueTask.CompletedTask;
        }
        if (work.IsUrgent && Interlocked.Increment(ref _urgentCount) <= MaxUrgent)
        {
            _urgent.Enqueue(work);
            // A full queue needs no wake-up: the loop is busy and looks beside it before each item.
            _queue.Writer.TryWrite(ShardWork.Wake);
            Volatile.Read(ref _urgentArrived)?.TrySetResult();
            return ValueTask.CompletedTask;
        }
        if (work.IsUrgent)
        {
            Interlocked.Decrement(ref _urgentCount);
        }
        return _queue.Writer.WriteAsync(work, cancellationToken);
    }

    /// <summary>
    /// Runs a message on the publisher's thread when the shard is idle: nothing queued, nothing
    /// beside the queue, no point waiting for storage, and no other thread at work on it. At light
    /// load that is nearly every message, and it spares waking the loop for each (a thread switch
    /// costs more than the rules and the append together). Under load the loop is busy and
    /// messages queue as before, in order: a message only runs inline with nothing older waiting.
    /// </summary>
    private bool TryRunInline(in ShardWork work)
    {
        if (Volatile.Read(ref _busy) != 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }
        try
        {
            if (_queue.Reader.Count != 0 || !_urgent.IsEmpty || _unstored.Count != 0 || _queue.Reader.Completion.IsCompleted)
            {
                return false;
            }
            Apply(work);
            StoreInline();
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Hands the point just applied to storage; if storage has no room, leaves the wait to the loop.</summary>
    private void StoreInline()
    {
        if (!_unstored.TryPeek(out var work))
        {
            return; // a duplicate, settled already
        }
        ValueTask<Task> appended;
        try
        {
            appended = _sink.AppendAsync(work.Point);
        }
        catch (Exception e) when (work.Settlement is not null)
        {
            _unstored.Dequeue();
            work.Settlement.Fail(e);
            return;
        }
        if (appended.IsCompletedSuccessfully)
        {
            _unstored.Dequeue();
            work.Settlement?.Complete(appended.Result);
            return;
        }
        _headAppend = appended.AsTask();
        // Never full here: the queue was empty a moment ago, and only the loop's tick and wake-ups
        // could have come since. A full queue has the loop at work anyway, and it stores before
        // its next item.
        _queue.Writer.TryWrite(ShardWork.Wake);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Enter();
            try
            {
                while (reader.TryRead(out var work))
                {
                    TakeUrgent();
                    if (work.IsTick)
                    {
                        _shard.Run(0, static (engine, _) => engine.Advance());
                    }
                    else if (!work.IsWake)
                    {
                        Apply(work);
                    }
                    if (_unstored.Count > 0)
                    {
                        await StoreAsync().ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }
        // Stopping: what came beside the queue at the end still gets its rules and storage.
        Enter();
        TakeUrgent();
        await StoreAsync().ConfigureAwait(false);
    }

    /// <summary>Takes the shard for the loop; a publisher running a message inline holds it for microseconds.</summary>
    private void Enter()
    {
        var spinner = default(SpinWait);
        while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            spinner.SpinOnce();
        }
    }

    /// <summary>Runs the rules of the urgent messages waiting beside the queue; their points join the line for storage.</summary>
    private void TakeUrgent()
    {
        while (_unstored.Count < MaxUrgent && _urgent.TryDequeue(out var urgent))
        {
            Interlocked.Decrement(ref _urgentCount);
            Apply(urgent);
        }
    }

    /// <summary>Runs the rules for one message and puts it in line for storage; a duplicate is settled at once.</summary>
    private void Apply(in ShardWork work)
    {
        ShardApplication applied;
        try
        {
            applied = _shard.Apply(work.Point, work.Event);
        }
        catch (Exception e) when (work.Settlement is not null)
        {
            work.Settlement.Fail(e);
            return;
        }
        if (applied == ShardApplication.Duplicate)
        {
            // Already stored and applied when it first came: settle it at once.
            _counters.Duplicate();
            work.Settlement?.Complete(Task.CompletedTask);
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
            Task durable;
            try
            {
                if (_headAppend is { } started)
                {
                    _headAppend = null;
                    durable = await WaitForRoomAsync(started).ConfigureAwait(false);
                }
                else
                {
                    var appended = _sink.AppendAsync(work.Point);
                    durable = appended.IsCompletedSuccessfully ? appended.Result : await WaitForRoomAsync(appended.AsTask()).ConfigureAwait(false);
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

    private async Task<Task> WaitForRoomAsync(Task<Task> appended)
    {
        while (!appended.IsCompleted)
        {
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _urgentArrived, arrived);
            if (_urgent.IsEmpty)
            {
                await Task.WhenAny(appended, arrived.Task).ConfigureAwait(false);
            }
            Volatile.Write(ref _urgentArrived, null);
            TakeUrgent();
            if (_unstored.Count >= MaxUrgent)
            {
                break;
            }
        }
        return await appended.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _ticker.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
