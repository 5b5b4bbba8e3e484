namespace LightsOn.Gateway.Webhooks;

/// <summary>An alert event on its way into a webhook's outbox, stamped when it was queued.</summary>
internal readonly record struct OutboxItem(long EventId, long QueuedAtUnixMs, byte[] Body);
