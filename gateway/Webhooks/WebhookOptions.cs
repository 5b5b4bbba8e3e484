namespace LightsOn.Gateway.Webhooks;

/// <summary>
/// Configuration section <c>Webhooks</c> (docs/api.md, Webhooks; docs/webhooks.md): where every
/// alert event in a webhook's scope is POSTed, and how long and how much the gateway keeps
/// trying.
/// </summary>
internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";
    public const int DefaultMaxPendingEvents = 100_000;
    public const long DefaultMaxPendingBytes = 256L << 20;

    public List<WebhookEndpointOptions> Endpoints { get; } = [];

    /// <summary>An event not delivered this long after it was queued is given up (counted and logged).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The first retry waits about this long; each further one twice as long, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One attempt (connect, send, response headers) fails after this long.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bound on one webhook's outbox. Past it the oldest pending events are dropped (counted and
    /// logged): a receiver gone for good must not fill the gateway's disk.
    /// </summary>
    public int MaxPendingEvents { get; set; } = DefaultMaxPendingEvents;

    /// <summary>Bound on one webhook's pending record bytes on disk, next to <see cref="MaxPendingEvents"/>.</summary>
    public long MaxPendingBytes { get; set; } = DefaultMaxPendingBytes;

    /// <summary>The outbox folder (one subfolder per webhook name). Unset: <see cref="DefaultPath"/>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// <c>$XDG_DATA_HOME/LightsOn/webhooks</c> (usually <c>~/.local/share/LightsOn/webhooks</c>) or
    /// <c>%LOCALAPPDATA%\LightsOn\webhooks</c>, beside the spool: a redeploy must not delete
    /// deliveries still owed.
    /// </summary>
    public static string DefaultPath => DataFolder.PathOf("webhooks");

    public string ResolvedPath => string.IsNullOrWhiteSpace(Path) ? DefaultPath : System.IO.Path.GetFullPath(Path);
}
