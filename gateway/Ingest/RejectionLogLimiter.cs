namespace LightsOn.Gateway.Ingest;

/// <summary>
/// Logs refused messages at most once per source per interval, where a source is the
/// device when the topic named a registered one, else the topic: a device stuck sending bad
/// payloads, or a flood of bogus topics, cannot flood the log. The next line logged for a
/// source says how many were suppressed since the previous one. Thread-safe.
/// </summary>
/// <remarks>
/// Memory is bounded: at most <c>capacity</c> sources are tracked, each key cut to
/// <see cref="MaxKeyLength"/> characters. When the table is full and no entry has had its
/// interval pass, further new sources share one overflow source (so under a flood of
/// distinct topics one line per interval still gets through, counting the rest).
/// Metrics count every rejection; this only decides what reaches the log.
/// </remarks>
internal sealed class RejectionLogLimiter
{
    public const int MaxKeyLength = 256;
    public const int DefaultCapacity = 10_000;
    public const string OverflowKey = "*";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly int _capacity;
    private Entry _overflow = new(long.MinValue, 0);
    private long _nextSweep = long.MinValue;

    public RejectionLogLimiter(ILogger logger, TimeProvider time, TimeSpan? interval = null, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        var span = interval ?? TimeSpan.FromSeconds(60);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(span, TimeSpan.Zero, nameof(interval));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _logger = logger;
        _time = time;
        _interval = (long)(span.TotalSeconds * time.TimestampFrequency);
        _capacity = capacity;
        _entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
    }

    /// <summary>Sources currently tracked (the overflow source not included).</summary>
    public int TrackedCount
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Logs the rejection unless its source was logged within the interval.</summary>
    public void Report(string topic, in Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }
        if (ShouldLog(rejection.LogKey(topic), out long suppressed))
        {
            // Outside the lock: a slow log sink must not stall the other connection threads.
            string shownTopic = topic.Length > MaxKeyLength ? topic[..MaxKeyLength] : topic;
            _logger.MessageRejected(rejection.Reason.ToWire(), shownTopic, rejection.Detail, suppressed);
        }
    }

    /// <summary>
    /// True when a rejection from <paramref name="key"/> should be logged now, with the count
    /// of its rejections suppressed since it was last logged.
    /// </summary>
    public bool ShouldLog(string key, out long suppressed)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxKeyLength)
        {
            key = key[..MaxKeyLength];
        }
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                bool log = Pass(ref entry, now, out suppressed);
                _entries[key] = entry;
                return log;
            }
            if (_entries.Count >= _capacity)
            {
                Sweep(now);
            }
            if (_entries.Count < _capacity)
            {
                _entries.Add(key, new Entry(now, 0));
                suppressed = 0;
                return true;
            }
            return Pass(ref _overflow, now, out suppressed);
        }
    }

    private bool Pass(ref Entry entry, long now, out long suppressed)
    {
        if (entry.LoggedAt != long.MinValue && now - entry.LoggedAt < _interval)
        {
            entry = entry with { Suppressed = entry.Suppressed + 1 };
            suppressed = 0;
            return false;
        }
        suppressed = entry.Suppressed;
        entry = new Entry(now, 0);
        return true;
    }

    // Forgets sources whose interval has passed. Their suppressed counts are folded into the
    // overflow source so the next overflow line still reports them. Runs at most once per
    // interval: under a flood nothing expires sooner, and a sweep per message would be O(n²).
    private void Sweep(long now)
    {
        if (now < _nextSweep)
        {
            return;
        }
        _nextSweep = now + _interval;
        List<string>? expired = null;
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.LoggedAt >= _interval)
            {
                (expired ??= []).Add(key);
                _overflow = _overflow with { Suppressed = _overflow.Suppressed + entry.Suppressed };
            }
        }
        if (expired is not null)
        {
            foreach (string key in expired)
            {
                _entries.Remove(key);
            }
        }
    }

    private readonly record struct Entry(long LoggedAt, long Suppressed);
}
