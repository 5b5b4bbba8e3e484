using System.Buffers;
using System.Threading.Channels;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// Stores points in InfluxDB: batches them by size and time, sends up to
/// <see cref="InfluxOptions.Concurrency"/> gzip-compressed batches at once, retries with
/// exponential backoff and full jitter, and hands a batch to the <see cref="IBatchSpool"/> when
/// InfluxDB stays unreachable past the retry budget. docs/storage.md describes the contract.
/// </summary>
/// <remarks>
/// <para>Durability: every append returns the completion of the batch its point landed in (one
/// task shared by the whole batch). It completes once the batch is in InfluxDB, in the spool,
/// or refused by InfluxDB as bad points; only then may the caller acknowledge the message.</para>
/// <para>Memory is bounded: there are <c>Concurrency + 1</c> batch buffers, reused. When all of
/// them are full or in flight, appends wait (backpressure) instead of allocating more.</para>
/// </remarks>
internal sealed partial class InfluxWriter : IHostedService, IAsyncDisposable, Pipeline.IPointSink, Pipeline.IAlertStore
{
    private readonly InfluxOptions _options;
    private readonly ILogger<InfluxWriter> _logger;
    private readonly IBatchSpool? _spool;
    private readonly TimeProvider _time;
    private readonly InfluxHttpClient _http;
    private readonly TimeSpan _commitDelay;

    private readonly Lock _gate = new();
    private readonly Channel<WriteBatch> _free;
    private readonly Channel<WriteBatch> _ready = Channel.CreateUnbounded<WriteBatch>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly AlertPointTimes _alertTimes = new();
    private readonly SemaphoreSlim _flushArmed = new(0);

    // _current is the batch being filled; null while every buffer is full or in flight.
    private WriteBatch? _current;

    // Send loops with nothing to do (under _gate): while one waits, a batch is sent once it is CommitDelay old.
    private int _idleSenders;
    private Task? _armed;
    private long _generation;
    private bool _closed;

    /// <param name="clockSpeed">
    /// <c>Clock:Speed</c>: on a demo clock the commit delay is that much shorter, as every wait a
    /// device sees is that much longer in simulated time.
    /// </param>
    public InfluxWriter(IOptions<InfluxOptions> options, ILogger<InfluxWriter> logger, IBatchSpool? spool = null, TimeProvider? time = null,
        double clockSpeed = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
        _spool = spool;
        _time = time ?? TimeProvider.System;
        _http = new InfluxHttpClient(_options);
        _commitDelay = _options.CommitDelay / clockSpeed;

        int buffers = _options.Concurrency + 1;
        _free = Channel.CreateBounded<WriteBatch>(buffers);
        // Telemetry lines run 100-160 bytes; start there so a batch rarely regrows.
        int initialBytes = (int)Math.Min(128L * _options.BatchSize, 64L * 1024 * 1024);
        for (int i = 0; i < buffers; i++)
        {
            _free.Writer.TryWrite(new WriteBatch(initialBytes));
        }
        _senders = new Task[_options.Concurrency];
    }

    public StorageMetrics Metrics { get; } = new();

    /// <summary>Whether the last request to InfluxDB got an answer that was not a failure (for <c>/readyz</c>).</summary>
    public bool IsReachable => Volatile.Read(ref _unreachable) == 0;

    /// <summary>The write endpoint, without the token.</summary>
    public Uri WriteUri => _http.WriteUri;

    /// <summary>
    /// Adds one <c>telemetry</c> point. The returned task (ready at once unless every batch
    /// buffer is busy) gives the completion of the point's batch.
    /// </summary>
    public ValueTask<Task> AppendAsync(in TelemetryPoint point) => Append(new TelemetryLine(point));

    /// <summary>
    /// Adds one <c>alert</c> point for a change of <paramref name="alert"/>, moved to a millisecond
    /// of its own in its series if need be (<see cref="AlertPointTimes"/>); see <see cref="AppendAsync(in TelemetryPoint)"/>.
    /// </summary>
    public ValueTask<Task> AppendAlertAsync(AlertRecord alert, string community, string household)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(community);
        ArgumentNullException.ThrowIfNull(household);
        AlertRecord stored;
        lock (_alertTimes)
        {
            stored = _alertTimes.Unique(alert);
        }
        return Append(new AlertLine(stored, community, household));
    }

    /// <summary>Sends the batch being filled now instead of at its flush time; returns its completion.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (_current is { Count: > 0 } batch)
            {
                var done = batch.Completion.Task;
                Seal(batch);
                return done;
            }
        }
        return Task.CompletedTask;
    }

    private ValueTask<Task> Append<TLine>(in TLine line) where TLine : struct, ILine
    {
        lock (_gate)
        {
            if (_current is { } batch)
            {
                line.WriteTo(batch.Lines);
                return new ValueTask<Task>(Added(batch));
            }
            ThrowIfClosed();
        }
        return AppendWhenBufferFreeAsync(line);
    }

    private async ValueTask<Task> AppendWhenBufferFreeAsync<TLine>(TLine line) where TLine : struct, ILine
    {
        while (await _free.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            lock (_gate)
            {
                ThrowIfClosed();
                if (_current is null && _free.Reader.TryRead(out var next))
                {
                    Open(next);
                }
                if (_current is { } batch)
                {
                    line.WriteTo(batch.Lines);
                    return Added(batch);
                }
            }
        }
        throw new InvalidOperationException("The InfluxDB writer is stopped.");
    }

    // Under _gate.
    private Task Added(WriteBatch batch)
    {
        var done = batch.Completion.Task;
        if (++batch.Count == 1)
        {
            batch.OpenedAt = _time.GetTimestamp();
            _flushArmed.Release();
        }
        if (batch.Count >= _options.BatchSize)
        {
            Seal(batch);
        }
        return done;
    }

    // Under _gate.
    private void Open(WriteBatch batch)
    {
        batch.Generation = ++_generation;
        _current = batch;
    }

    // Under _gate: hands the batch to the send loops and opens the next buffer, if one is free.
    private void Seal(WriteBatch batch)
    {
        _current = null;
        Metrics.Appended(batch.Count);
        _ready.Writer.TryWrite(batch);
        if (!_closed && _free.Reader.TryRead(out var next))
        {
            Open(next);
        }
    }

    // Under _gate.
    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new InvalidOperationException("The InfluxDB writer is stopped.");
        }
    }

    /// <summary>
    /// Seals each batch once it is <see cref="InfluxOptions.CommitDelay"/> old and a send loop is
    /// free to take it (group commit), or once it is <see cref="InfluxOptions.FlushInterval"/> old
    /// in any case.
    /// </summary>
    /// <remarks>
    /// <see cref="_flushArmed"/> is released when a batch gets its first point and when a send
    /// loop runs out of work: either can make the batch being filled due, so the loop looks again
    /// at once instead of sleeping through to the flush interval.
    /// </remarks>
    private async Task FlushLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Armed(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TimeSpan wait;
                lock (_gate)
                {
                    if (_current is not { Count: > 0 } batch)
                    {
                        break;
                    }
                    var age = _time.GetElapsedTime(batch.OpenedAt);
                    if (age >= _options.FlushInterval || (_idleSenders > 0 && IsDue(batch)))
                    {
                        Seal(batch);
                        break;
                    }
                    // Past the commit delay every send loop is busy: the first to be free takes
                    // the batch (SendLoopAsync), else the flush interval does.
                    wait = WholeMilliseconds(age < _commitDelay ? _commitDelay - age : _options.FlushInterval - age);
                }
                await Task.WhenAny(Armed(cancellationToken), Task.Delay(wait, _time, cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    // Timers count whole milliseconds and drop the rest: a wait of 0.9 ms fires at once, and the
    // loop would spin through the last millisecond before every batch is due (at light load most
    // of the gateway's CPU went there).
    private static TimeSpan WholeMilliseconds(TimeSpan wait) => TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait.TotalMilliseconds)));

    /// <summary>Whether a free send loop takes <paramref name="batch"/> now (group commit).</summary>
    private bool IsDue(WriteBatch batch) => _time.GetElapsedTime(batch.OpenedAt) >= _commitDelay;

    // One wait on _flushArmed at a time: a wait left behind by a timeout would take the next
    // release for itself, and the loop would sleep through it.
    private Task Armed(CancellationToken cancellationToken) =>
        _armed is { IsCompleted: false } pending ? pending : _armed = _flushArmed.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Not waiting for retries: whatever is not in InfluxDB now goes to the spool.
        await StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
        _http.Dispose();
        _flushArmed.Dispose();
        _replayWake.Dispose();
        _abort.Dispose();
        _background.Dispose();
    }

    /// <summary>A point that can write itself as one line; a struct, so appends stay allocation-free.</summary>
    private interface ILine
    {
        void WriteTo(IBufferWriter<byte> output);
    }

    private readonly struct TelemetryLine(TelemetryPoint point) : ILine
    {
        public void WriteTo(IBufferWriter<byte> output) => LineProtocolEncoder.WriteTelemetry(output, point);
    }

    private readonly struct AlertLine(AlertRecord alert, string community, string household) : ILine
    {
        public void WriteTo(IBufferWriter<byte> output) => LineProtocolEncoder.WriteAlert(output, alert, community, household);
    }
}
