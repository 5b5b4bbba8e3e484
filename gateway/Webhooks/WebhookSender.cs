using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using LightsOn.Gateway.Alerts;

namespace LightsOn.Gateway.Webhooks;

/// <summary>
/// One webhook: an append loop that writes its events to the outbox in batches, and a send loop
/// that POSTs them one at a time, oldest first, retrying the oldest with backoff until it is
/// delivered or given up. A later event is never sent before an earlier one is done with.
/// </summary>
internal sealed class WebhookSender
{
    /// <summary>Events written and fsync'd together at most; a burst of alerts costs a few fsyncs.</summary>
    private const int MaxBatch = 1024;

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly TimeSpan OutboxRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FullLogInterval = TimeSpan.FromMinutes(1);

    private readonly Channel<OutboxItem> _incoming = Channel.CreateUnbounded<OutboxItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Wakes the send loop after an append; one token is enough however many appends happened.</summary>
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _errorLock = new();
    private readonly WebhookOptions _options;
    private readonly Uri _url;
    private readonly byte[] _secret;
    private readonly HashSet<string> _communities;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private WebhookOutbox? _outbox;
    private Task _appendLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private long _delivered;
    private long _retries;
    private long _givenUp;
    private long _lostAtStop;
    private long _queued;
    private int _stopped;
    private long _droppedSinceLog;
    private DateTimeOffset _lastFullLog = DateTimeOffset.MinValue;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;

    public WebhookSender(WebhookEndpointOptions endpoint, WebhookOptions options, HttpClient http, TimeProvider time, ILogger logger)
    {
        _options = options;
        _url = new Uri(endpoint.Url!, UriKind.Absolute);
        _secret = Encoding.UTF8.GetBytes(endpoint.Secret!);
        _communities = new HashSet<string>(endpoint.Communities, StringComparer.Ordinal);
        _http = http;
        _time = time;
        _logger = logger;
        Name = endpoint.EffectiveName;
    }

    public string Name { get; }

    public bool InScope(string community) => _communities.Count == 0 || _communities.Contains(community);

    /// <summary>Queues an event without waiting: the alert dispatcher's thread must never block here.</summary>
    public void Enqueue(AlertEvent alertEvent, long queuedAtUnixMs)
    {
        if (_incoming.Writer.TryWrite(new OutboxItem(alertEvent.Id, queuedAtUnixMs, alertEvent.Json)))
        {
            Interlocked.Increment(ref _queued);
        }
        else
        {
            // Only after stop: the dispatcher outlived delivery.
            Interlocked.Increment(ref _lostAtStop);
        }
    }

    public WebhookStatus Status
    {
        get
        {
            var outbox = _outbox;
            lock (_errorLock)
            {
                return new WebhookStatus(
                    Name,
                    (outbox?.Count ?? 0) + Interlocked.Read(ref _queued),
                    Interlocked.Read(ref _delivered),
                    Interlocked.Read(ref _retries),
                    Interlocked.Read(ref _givenUp),
                    (outbox?.Dropped ?? 0) + Interlocked.Read(ref _lostAtStop),
                    _lastError,
                    _lastErrorAt);
            }
        }
    }

    /// <summary>Opens the outbox (resuming what a previous run left) and starts both loops.</summary>
    public void Start(string folder)
    {
        _outbox = WebhookOutbox.Open(folder, _options.MaxPendingEvents, _options.MaxPendingBytes, _logger, Name);
        _logger.WebhookOutboxOpened(Name, folder, _outbox.Count);
        _appendLoop = Task.Run(AppendLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    /// <summary>
    /// Writes what is queued to disk, lets an attempt in flight finish (at most a request
    /// timeout, or until <paramref name="cancellationToken"/>), and leaves every pending event on disk.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        _incoming.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sendLoop.WaitAsync(_options.RequestTimeout + TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            _logger.WebhookStopTimedOut(Name);
            await _abort.CancelAsync().ConfigureAwait(false);
            await _sendLoop.ConfigureAwait(false);
        }
        await _appendLoop.ConfigureAwait(false);
        if (_outbox is not null)
        {
            _logger.WebhookStopped(Name, _outbox.Count);
            _outbox.Dispose();
        }
        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task AppendLoopAsync()
    {
        var batch = new List<OutboxItem>(MaxBatch);
        // Runs until stop completes the channel and everything queued before it is on disk.
        while (await _incoming.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _incoming.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            int dropped = await AppendAsync(batch).ConfigureAwait(false);
            // Counted out only once on disk, so the pending count never dips while they move.
            Interlocked.Add(ref _queued, -batch.Count);
            batch.Clear();
            _wake.Writer.TryWrite(true);
            if (dropped > 0)
            {
                LogFull(dropped);
            }
        }
    }

    private async Task<int> AppendAsync(List<OutboxItem> batch)
    {
        while (true)
        {
            try
            {
                return _outbox!.Append(batch);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.WebhookOutboxWriteFailed(Name, batch.Count, OutboxRetryDelay.TotalMilliseconds, e);
                if (_stopping.IsCancellationRequested)
                {
                    Interlocked.Add(ref _lostAtStop, batch.Count);
                    return 0;
                }
                // A full or read-only disk: the events wait in memory until the disk takes them.
                await Task.Delay(OutboxRetryDelay, _time).ConfigureAwait(false);
            }
        }
    }

    private void LogFull(int dropped)
    {
        _droppedSinceLog += dropped;
        var now = _time.GetUtcNow();
        if (now - _lastFullLog >= FullLogInterval)
        {
            _logger.WebhookOutboxFull(Name, _options.MaxPendingEvents, _options.MaxPendingBytes, _droppedSinceLog, _outbox!.Dropped);
            _lastFullLog = now;
            _droppedSinceLog = 0;
        }
    }

    private async Task SendLoopAsync()
    {
        var outbox = _outbox!;
        var stopping = _stopping.Token;
        // Failed attempts in a row, whatever the event: the receiver's trouble sets the backoff.
        int failedInARow = 0;
        DateTimeOffset nextAttemptAt = default;
        long sequence = 0;
        int attempts = 0;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var record = outbox.Peek();
                if (record is null)
                {
                    await _wake.Reader.ReadAsync(stopping).ConfigureAwait(false);
                    continue;
                }
                if (record.Sequence != sequence)
                {
                    sequence = record.Sequence;
                    attempts = 0;
                }
                var deadline = record.QueuedAt + _options.GiveUpAfter;
                if (failedInARow > 0)
                {
                    var now = _time.GetUtcNow();
                    if (now >= deadline && attempts == 0)
                    {
                        // Expired behind others while the receiver is failing: given up untried, so
                        // a long outage costs one pass over the backlog, not a timeout per event.
                        GiveUp(record, attempts);
                        continue;
                    }
                    // An event past its time but tried before gets one last attempt at its deadline.
                    var attemptAt = nextAttemptAt < deadline ? nextAttemptAt : deadline;
                    if (now < attemptAt)
                    {
                        await Task.Delay(attemptAt - now, _time, stopping).ConfigureAwait(false);
                        // Looked up again: the event may have been dropped from a full outbox meanwhile.
                        continue;
                    }
                }

                if (attempts > 0)
                {
                    Interlocked.Increment(ref _retries);
                }
                attempts++;
                string? error = await AttemptAsync(record).ConfigureAwait(false);
                if (error is null)
                {
                    // Counted before it leaves the pending count: a reader that sees nothing
                    // pending also sees every delivery.
                    Interlocked.Increment(ref _delivered);
                    outbox.Complete(record.Sequence);
                    if (failedInARow > 0)
                    {
                        _logger.WebhookRecovered(Name, failedInARow);
                    }
                    failedInARow = 0;
                    continue;
                }
                if (_abort.IsCancellationRequested)
                {
                    return;
                }

                var failedAt = _time.GetUtcNow();
                lock (_errorLock)
                {
                    _lastError = error;
                    _lastErrorAt = failedAt;
                }
                failedInARow++;
                var delay = Backoff(failedInARow, _options.RetryBaseDelay, _options.RetryMaxDelay, Random.Shared.NextDouble());
                nextAttemptAt = failedAt + delay;
                if (failedInARow == 1)
                {
                    _logger.WebhookFailing(Name, record.EventId, error, outbox.Count);
                }
                else
                {
                    _logger.WebhookAttemptFailed(Name, record.EventId, attempts, error, delay.TotalMilliseconds);
                }
                if (failedAt >= deadline)
                {
                    GiveUp(record, attempts);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stop came during a wait; the event stays pending on disk.
        }
    }

    private void GiveUp(OutboxRecord record, int attempts)
    {
        Interlocked.Increment(ref _givenUp);
        _outbox!.Complete(record.Sequence);
        string? error;
        lock (_errorLock)
        {
            error = _lastError;
        }
        _logger.WebhookGaveUp(Name, record.EventId, record.QueuedAt, attempts, error ?? "none");
    }

    /// <summary>One POST; null on any 2xx, otherwise what went wrong in a few words.</summary>
    private async Task<string?> AttemptAsync(OutboxRecord record)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url);
        request.Content = new ByteArrayContent(record.Body);
        request.Content.Headers.ContentType = JsonType;
        request.Headers.TryAddWithoutValidation("X-LightsOn-Event-Id", record.EventId.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Compute(_secret, record.Body));
        request.Headers.TryAddWithoutValidation("User-Agent", "LightsOn");
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _abort.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? null : $"HTTP {status}";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError.ToString();
        }
        catch (TaskCanceledException) when (!_abort.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return "shutdown";
        }
    }

    /// <summary>
    /// The wait after the <paramref name="failures"/>-th failure in a row: the base delay doubled
    /// per failure up to the maximum, then spread ±20 % by <paramref name="random"/> (in [0, 1)) so
    /// gateways restarted together do not retry in lockstep, and never past the maximum.
    /// </summary>
    internal static TimeSpan Backoff(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        double doubled = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        double capped = Math.Min(doubled, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Min(capped * (0.8 + (0.4 * random)), maxDelay.TotalMilliseconds));
    }
}
