namespace LightsOn.Gateway;

/// <summary>
/// Webhook delivery's log lines (ids 2101-2199). Webhook names and event ids only: never a
/// secret, a body or a URL (receivers put tokens in URLs).
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(2101, LogLevel.Information, "Webhook {Webhook}: outbox {Folder} opened, {Pending} events pending")]
    public static partial void WebhookOutboxOpened(this ILogger logger, string webhook, string folder, int pending);

    [LoggerMessage(2102, LogLevel.Warning, "Webhook {Webhook}: outbox segment {Segment} has a torn record at offset {Offset}; the segment is cut there, {DroppedBytes} bytes dropped")]
    public static partial void WebhookOutboxTornRecord(this ILogger logger, string webhook, long segment, long offset, long droppedBytes);

    [LoggerMessage(2103, LogLevel.Warning, "Webhook {Webhook}: outbox cursor {Path} is unreadable; every event still on disk is delivered again")]
    public static partial void WebhookOutboxCursorUnreadable(this ILogger logger, string webhook, string path);

    [LoggerMessage(2104, LogLevel.Error, "Webhook {Webhook}: outbox record {Sequence} (segment {Segment}, offset {Offset}) no longer reads back intact; skipped")]
    public static partial void WebhookOutboxRecordUnreadable(this ILogger logger, string webhook, long sequence, long segment, long offset);

    [LoggerMessage(2105, LogLevel.Warning, "Webhook {Webhook}: outbox full ({MaxEvents} events or {MaxBytes} bytes) or an event over 1 MiB; {Dropped} events dropped, oldest first, since its last line, {Total} since start")]
    public static partial void WebhookOutboxFull(this ILogger logger, string webhook, int maxEvents, long maxBytes, long dropped, long total);

    [LoggerMessage(2106, LogLevel.Error, "Webhook {Webhook}: cannot write {Events} events to the outbox; retrying in {DelayMs} ms")]
    public static partial void WebhookOutboxWriteFailed(this ILogger logger, string webhook, int events, double delayMs, Exception exception);

    [LoggerMessage(2107, LogLevel.Warning, "Webhook {Webhook}: event {EventId} not delivered ({Error}); retrying with backoff, {Pending} events waiting")]
    public static partial void WebhookFailing(this ILogger logger, string webhook, long eventId, string error, int pending);

    [LoggerMessage(2108, LogLevel.Debug, "Webhook {Webhook}: event {EventId} attempt {Attempt} failed ({Error}); next attempt in {DelayMs} ms")]
    public static partial void WebhookAttemptFailed(this ILogger logger, string webhook, long eventId, int attempt, string error, double delayMs);

    [LoggerMessage(2109, LogLevel.Information, "Webhook {Webhook}: delivering again after {FailedAttempts} failed attempts")]
    public static partial void WebhookRecovered(this ILogger logger, string webhook, long failedAttempts);

    [LoggerMessage(2110, LogLevel.Error, "Webhook {Webhook}: gave up on event {EventId}, queued {QueuedAt:O}, after {Attempts} attempts; last error {Error}")]
    public static partial void WebhookGaveUp(this ILogger logger, string webhook, long eventId, DateTimeOffset queuedAt, int attempts, string error);

    [LoggerMessage(2111, LogLevel.Information, "Webhooks: {Count} configured, outboxes under {Folder}")]
    public static partial void WebhooksStarting(this ILogger logger, int count, string folder);

    [LoggerMessage(2112, LogLevel.Information, "Webhook {Webhook}: stopped with {Pending} events kept on disk for the next start")]
    public static partial void WebhookStopped(this ILogger logger, string webhook, int pending);

    [LoggerMessage(2113, LogLevel.Warning, "Webhook {Webhook}: an attempt was still running at shutdown; its event stays pending and is sent again at the next start")]
    public static partial void WebhookStopTimedOut(this ILogger logger, string webhook);

    [LoggerMessage(2114, LogLevel.Warning, "Webhook {Webhook}: cannot update {Path} ({Error}); a restart may deliver some events again")]
    public static partial void WebhookOutboxNotCleaned(this ILogger logger, string webhook, string path, string error);
}
