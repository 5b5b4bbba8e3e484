namespace LightsOn.Gateway.Storage;

internal sealed partial class InfluxWriter
{
    // About 30 telemetry lines.
    private const int MinGzipBytes = 4096;

    private readonly Task[] _senders;
    private readonly SemaphoreSlim _replayWake = new(0);
    private readonly MemoryStream _replayCompressed = new();

    // _abort ends retries at once (shutdown ran out of time): batches go to the spool instead.
    private readonly CancellationTokenSource _abort = new();

    // _background ends the flush timer and the replay loop.
    private readonly CancellationTokenSource _background = new();
    private Task _flusher = Task.CompletedTask;
    private Task _replayer = Task.CompletedTask;
    private Task _creator = Task.CompletedTask;
    private int _unreachable;
    private int _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return Task.CompletedTask;
        }
        _logger.InfluxWriterStarting(_options.Api.ToString(), $"{_http.WriteUri.Scheme}://{_http.WriteUri.Authority}{_http.WriteUri.AbsolutePath}", _options.BatchSize, _options.Concurrency, _spool is not null);
        lock (_gate)
        {
            if (_current is null && _free.Reader.TryRead(out var first))
            {
                Open(first);
            }
        }
        for (int i = 0; i < _senders.Length; i++)
        {
            _senders[i] = Task.Run(SendLoopAsync, CancellationToken.None);
        }
        _flusher = Task.Run(() => FlushLoopAsync(_background.Token), CancellationToken.None);
        if (_spool is not null)
        {
            _replayer = Task.Run(() => ReplayLoopAsync(_spool, _background.Token), CancellationToken.None);
            if (!_spool.IsEmpty)
            {
                WakeReplay();
            }
        }

        // In the background, and not fatal: the gateway must come up while InfluxDB is down
        // (the spool covers it), and a write that finds the database missing creates it then.
        _creator = Task.Run(() => CreateDatabaseAsync(_background.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var created = await _http.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
        if (created.Outcome == InfluxOutcome.Written)
        {
            MarkReachable();
        }
        else
        {
            _logger.InfluxDatabaseNotCreated(created.Reason);
            if (created.Outcome == InfluxOutcome.Failed)
            {
                // Not reachable from the start: /readyz says so before the first write fails.
                MarkUnreachable(created.Reason);
            }
        }
    }

    /// <summary>
    /// Stops taking points, sends what was appended, and waits for every batch to settle. When
    /// <paramref name="cancellationToken"/> fires, retries stop and unsent batches go to the spool.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            if (_current is { Count: > 0 } batch)
            {
                Seal(batch);
            }
            _current = null;
        }
        _ready.Writer.TryComplete();
        using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort))
        {
            if (Volatile.Read(ref _started) != 0)
            {
                await Task.WhenAll(_senders).ConfigureAwait(false);
            }
            else
            {
                // Never started: settle what was appended on this thread.
                await SendLoopAsync().ConfigureAwait(false);
            }
        }
        await _background.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_flusher, _replayer, _creator).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendLoopAsync()
    {
        var ready = _ready.Reader;
        while (true)
        {
            lock (_gate)
            {
                // Group commit: a send loop with nothing to do takes the batch being filled once it
                // is CommitDelay old instead of at its flush time, so a lone message is durable in
                // about one round trip and a few milliseconds and, under load, batches grow to
                // whatever arrived while the send loops were busy. The short wait is what gathers a
                // few messages per request when the load is light: a request costs InfluxDB and the
                // gateway far more than a point.
                if (_current is { Count: > 0 } filling && IsDue(filling))
                {
                    Seal(filling);
                }
                else
                {
                    _idleSenders++;
                    // The batch being filled may be due for this loop once its commit delay is up.
                    _flushArmed.Release();
                }
            }
            bool more = await ready.WaitToReadAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _idleSenders = Math.Max(0, _idleSenders - 1);
            }
            if (!more)
            {
                return;
            }
            if (!ready.TryRead(out var batch))
            {
                continue;
            }
            try
            {
                await SettleAsync(batch).ConfigureAwait(false);
                batch.Completion.TrySetResult();
            }
#pragma warning disable CA1031 // The batch's callers get the exception; the loop must go on for the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.InfluxBatchLost(batch.Count, e);
                batch.Completion.TrySetException(e);
            }
            finally
            {
                batch.Reset();
                _free.Writer.TryWrite(batch);
            }
        }
    }

    private async Task SettleAsync(WriteBatch batch)
    {
        if (_spool is not null && !_spool.IsEmpty)
        {
            // Older batches wait in the spool: this one queues behind them, so the replay
            // keeps the order in which points arrived.
            await SpoolAsync(_spool, batch).ConfigureAwait(false);
            return;
        }

        bool gzipped = Compresses(batch.Lines.WrittenCount);
        var body = batch.Body(gzipped);
        var budget = _spool is null ? Timeout.InfiniteTimeSpan : _options.RetryBudget;
        if (await SendWithRetryAsync(body, gzipped, batch.Count, budget).ConfigureAwait(false))
        {
            return;
        }
        if (_spool is null)
        {
            throw new InvalidOperationException($"InfluxDB did not take a batch of {batch.Count} points before the gateway stopped, and no spool is configured.");
        }
        _logger.InfluxBatchSpooled(batch.Count, _options.RetryBudget);
        await SpoolAsync(_spool, batch).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a body of <paramref name="bytes"/> is sent gzip-compressed: a small one is not,
    /// because setting up a compressor costs more CPU, on both sides, than its few bytes cost
    /// to send.
    /// </summary>
    private bool Compresses(int bytes) => _options.Gzip && bytes >= MinGzipBytes;

    /// <summary>True when the batch is settled (written, or refused as bad); false when the budget ran out.</summary>
    private async Task<bool> SendWithRetryAsync(ReadOnlyMemory<byte> body, bool gzipped, int points, TimeSpan budget)
    {
        long start = _time.GetTimestamp();
        for (int attempt = 0; ; attempt++)
        {
            if (_abort.IsCancellationRequested)
            {
                return false;
            }
            InfluxResponse response;
            try
            {
                response = await SendAsync(body, gzipped, points, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return false;
            }
            if (response.Outcome != InfluxOutcome.Failed)
            {
                return true;
            }

            var delay = Backoff(attempt, response.RetryAfter);
            if (budget != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(start) + delay > budget)
            {
                return false;
            }
            try
            {
                await Task.Delay(delay, _time, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            Metrics.Retried();
        }
    }

    /// <summary>One request, with the bookkeeping every outcome needs. Never <see cref="InfluxOutcome.DatabaseMissing"/>: that becomes a create and a retry.</summary>
    private async Task<InfluxResponse> SendAsync(ReadOnlyMemory<byte> body, bool gzipped, int points, CancellationToken cancellationToken)
    {
        long sent = _time.GetTimestamp();
        var response = await _http.WriteAsync(body, gzipped, cancellationToken).ConfigureAwait(false);
        if (response.Outcome == InfluxOutcome.DatabaseMissing)
        {
            _logger.InfluxDatabaseMissing();
            var created = await _http.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
            if (created.Outcome == InfluxOutcome.Written)
            {
                sent = _time.GetTimestamp();
                response = await _http.WriteAsync(body, gzipped, cancellationToken).ConfigureAwait(false);
            }
            if (response.Outcome == InfluxOutcome.DatabaseMissing)
            {
                response = response with { Outcome = InfluxOutcome.Failed };
            }
        }

        switch (response.Outcome)
        {
            case InfluxOutcome.Written:
                Metrics.Written(points, _time.GetElapsedTime(sent));
                MarkReachable();
                break;
            case InfluxOutcome.Rejected:
                // Retrying cannot help, and holding the batch would stall every message behind
                // it. The body is not logged: it may echo point data.
                Metrics.Rejected(points);
                _logger.InfluxBatchRejected(points, response.StatusCode);
                MarkReachable();
                break;
            default:
                Metrics.Failed();
                MarkUnreachable(response.Reason);
                break;
        }
        return response;
    }

    /// <summary>Full jitter: uniform in [0, min(max, base * 2^attempt)], or InfluxDB's Retry-After when it gave one.</summary>
    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var max = _options.RetryMaxDelay;
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked < max ? asked : max;
        }
        double ceiling = Math.Min(max.Ticks, _options.RetryBaseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30)));
#pragma warning disable CA5394 // Jitter, not security.
        return TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling));
#pragma warning restore CA5394
    }

    private async Task SpoolAsync(IBatchSpool spool, WriteBatch batch)
    {
        while (true)
        {
            try
            {
                await spool.AppendAsync(batch.Lines.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Neither InfluxDB nor the disk has the batch: keep it (its callers keep
                // waiting, so the broker holds the messages) and try both again.
                _logger.SpoolAppendFailed(batch.Count, e);
                await Task.Delay(_options.RetryMaxDelay, _time, CancellationToken.None).ConfigureAwait(false);
                bool gzipped = Compresses(batch.Lines.WrittenCount);
                if (!_abort.IsCancellationRequested && await SendWithRetryAsync(batch.Body(gzipped), gzipped, batch.Count, _options.RetryBudget).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        Metrics.Spooled();
        WakeReplay();
    }

    private void WakeReplay()
    {
        // A lost wake-up is harmless: the loop drains the spool until it is empty.
        if (_replayWake.CurrentCount == 0)
        {
            _replayWake.Release();
        }
    }

    /// <summary>Sends the spool's oldest batch until InfluxDB takes it, acks it, and goes on to the next.</summary>
    private async Task ReplayLoopAsync(IBatchSpool spool, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _replayWake.WaitAsync(cancellationToken).ConfigureAwait(false);
            int attempt = 0;
            long replayed = 0;
            while (!spool.IsEmpty)
            {
                try
                {
                    if (await ReplayOldestAsync(spool, cancellationToken).ConfigureAwait(false))
                    {
                        replayed++;
                        attempt = 0;
                        continue;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.SpoolReplayFailed(e);
                }
                await Task.Delay(Backoff(attempt++, null), _time, cancellationToken).ConfigureAwait(false);
                Metrics.Retried();
            }
            if (replayed > 0)
            {
                _logger.SpoolReplayed(replayed);
            }
        }
    }

    /// <summary>True when the oldest batch left the spool; false when InfluxDB did not answer for it.</summary>
    private async Task<bool> ReplayOldestAsync(IBatchSpool spool, CancellationToken cancellationToken)
    {
        if (await spool.ReadOldestAsync(cancellationToken).ConfigureAwait(false) is not { } lines)
        {
            return true;
        }
        int points = lines.Span.Count((byte)'\n');
        bool gzipped = Compresses(lines.Length);
        var body = gzipped ? WriteBatch.Gzip(lines, _replayCompressed) : lines;
        var response = await SendAsync(body, gzipped, points, cancellationToken).ConfigureAwait(false);
        if (response.Outcome == InfluxOutcome.Failed)
        {
            return false;
        }
        // Only now: a batch leaves the spool once InfluxDB has answered for it.
        await spool.AckOldestAsync(cancellationToken).ConfigureAwait(false);
        Metrics.Replayed();
        return true;
    }

    private void MarkReachable()
    {
        if (Interlocked.Exchange(ref _unreachable, 0) != 0)
        {
            _logger.InfluxReachable();
        }
    }

    private void MarkUnreachable(string reason)
    {
        if (Interlocked.Exchange(ref _unreachable, 1) == 0)
        {
            _logger.InfluxUnreachable(reason);
        }
    }
}
