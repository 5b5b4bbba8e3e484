using System.Threading.Channels;

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
    private readonly Channel<ShardWork> _queue;
    private readonly ITimer _ticker;
    private readonly Task _loop;

    public ShardWorker(RulesShard shard, IPointSink sink, TimeSpan tickInterval, int capacity = 8192)
    {
        _shard = shard;
        _sink = sink;
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

    public async ValueTask DisposeAsync()
    {
        await _ticker.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
