namespace LightsOn.Gateway.Webhooks;

/// <summary>
/// One webhook's delivery counters since start (<c>GET /api/webhooks</c>, <c>/metrics</c>). The
/// error is a status or a failure kind (<c>HTTP 503</c>, <c>timeout</c>, <c>ConnectionError</c>),
/// never a response body.
/// </summary>
/// <param name="Pending">Events queued and not yet delivered or given up, on disk or about to be.</param>
/// <param name="Retries">Attempts after the first one of an event.</param>
/// <param name="Dropped">Events dropped to keep the outbox within its bounds (oldest first).</param>
internal sealed record WebhookStatus(
    string Name,
    long Pending,
    long Delivered,
    long Retries,
    long GivenUp,
    long Dropped,
    string? LastError,
    DateTimeOffset? LastErrorAt);
