namespace LightsOn.Gateway.Webhooks;

/// <summary>One pending delivery as read back from a webhook's outbox.</summary>
/// <param name="Sequence">The outbox's own number, rising by one per appended event across restarts.</param>
/// <param name="EventId">The alert event's id, sent as <c>X-LightsOn-Event-Id</c>.</param>
/// <param name="QueuedAt">When the event was queued for this webhook: the give-up clock starts here.</param>
/// <param name="Body">The event JSON, byte for byte as the gateway made it.</param>
internal sealed record OutboxRecord(long Sequence, long EventId, DateTimeOffset QueuedAt, byte[] Body);
