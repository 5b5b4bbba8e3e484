namespace LightsOn.Gateway.Storage;

/// <summary>
/// Configuration section <c>Influx</c>: where and how points are written (design.md,
/// Configuration and Storage). Setting <see cref="Org"/> or <see cref="Bucket"/> switches from
/// the 1.x API to the 2.x/3.x one.
/// </summary>
internal sealed class InfluxOptions
{
    public const string Section = "Influx";

    public string Url { get; set; } = "http://127.0.0.1:8086";

    /// <summary>The 1.x database; created at start when missing.</summary>
    public string Database { get; set; } = "lightson";

    /// <summary>The 2.x organisation (InfluxDB 3 ignores it).</summary>
    public string? Org { get; set; }

    /// <summary>The 2.x bucket, or the InfluxDB 3 database.</summary>
    public string? Bucket { get; set; }

    /// <summary>Sent as <c>Authorization: Token …</c> to the 2.x/3.x API.</summary>
    public string? Token { get; set; }

    /// <summary>Points per batch: a batch is sent when it holds this many points...</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>... or when its first point is this old, whichever comes first.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a batch gathers points before a free send loop takes it (group commit): the
    /// acknowledgement of a lone message waits this much longer; a light load sends a few points
    /// per request instead of one.
    /// </summary>
    public TimeSpan CommitDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Batches in flight at once; InfluxDB takes far more from parallel writers.</summary>
    public int Concurrency { get; set; } = 4;

    public bool Gzip { get; set; } = true;

    /// <summary>The first retry waits up to this long (full jitter); each further one up to twice as long.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No single wait between attempts is longer.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a batch is retried before it goes to the spool instead.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>One HTTP request may take this long before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public InfluxApi Api => string.IsNullOrWhiteSpace(Org) && string.IsNullOrWhiteSpace(Bucket) ? InfluxApi.V1 : InfluxApi.V2;
}
