namespace LightsOn.Gateway.Storage;

/// <summary>What <see cref="InfluxWriter"/> has done, for <c>/metrics</c>. Counts only, no ids.</summary>
internal sealed class StorageMetrics
{
    private long _pointsAppended;
    private long _pointsWritten;
    private long _batchesWritten;
    private long _retries;
    private long _failures;
    private long _pointsRejected;
    private long _batchesRejected;
    private long _batchesSpooled;
    private long _batchesReplayed;

    /// <summary>Points per batch written to InfluxDB.</summary>
    public Histogram BatchSizes { get; } = new(1, 10, 100, 500, 1000, 2500, 5000, 10000, 50000);

    /// <summary>Seconds from sending a batch to InfluxDB's 2xx, per successful request.</summary>
    public Histogram WriteLatency { get; } = new(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

    public long PointsAppended => Interlocked.Read(ref _pointsAppended);

    /// <summary>Points InfluxDB accepted (2xx), replayed ones included.</summary>
    public long PointsWritten => Interlocked.Read(ref _pointsWritten);

    public long BatchesWritten => Interlocked.Read(ref _batchesWritten);

    /// <summary>Requests sent again after a network error, a timeout, a 5xx or a 429.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Failed write requests (each retry's failure counts once).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Points in batches InfluxDB refused as bad (400): settled, not retried.</summary>
    public long PointsRejected => Interlocked.Read(ref _pointsRejected);

    public long BatchesRejected => Interlocked.Read(ref _batchesRejected);

    public long BatchesSpooled => Interlocked.Read(ref _batchesSpooled);

    public long BatchesReplayed => Interlocked.Read(ref _batchesReplayed);

    internal void Appended(long points) => Interlocked.Add(ref _pointsAppended, points);

    internal void Written(int points, TimeSpan latency)
    {
        Interlocked.Add(ref _pointsWritten, points);
        Interlocked.Increment(ref _batchesWritten);
        BatchSizes.Record(points);
        WriteLatency.Record(latency.TotalSeconds);
    }

    internal void Retried() => Interlocked.Increment(ref _retries);

    internal void Failed() => Interlocked.Increment(ref _failures);

    internal void Rejected(int points)
    {
        Interlocked.Add(ref _pointsRejected, points);
        Interlocked.Increment(ref _batchesRejected);
    }

    internal void Spooled() => Interlocked.Increment(ref _batchesSpooled);

    internal void Replayed() => Interlocked.Increment(ref _batchesReplayed);
}
