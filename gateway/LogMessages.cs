namespace LightsOn.Gateway;

/// <summary>
/// Every log line of the gateway, with stable event ids. Ids and counts only: names, phone
/// numbers and ages from the registry never reach a log.
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(1001, LogLevel.Information, "Registry {Path} loaded: {Households} households in {Communities} communities, {Devices} devices")]
    public static partial void RegistryLoaded(this ILogger logger, string path, int households, int communities, int devices);

    [LoggerMessage(1002, LogLevel.Information, "Registry {Path} reloaded: {Households} households in {Communities} communities, {Devices} devices; {Added} households added, {Removed} removed")]
    public static partial void RegistryReloaded(this ILogger logger, string path, int households, int communities, int devices, int added, int removed);

    [LoggerMessage(1003, LogLevel.Warning, "Registry {Path} changed but was not reloaded; the registry in force ({Households} households) stays: {Reason}")]
    public static partial void RegistryReloadRefused(this ILogger logger, string path, int households, string reason);

    [LoggerMessage(1101, LogLevel.Debug, "Rules shard {Shard} watches {Households} households")]
    public static partial void ShardCreated(this ILogger logger, int shard, int households);

    [LoggerMessage(1102, LogLevel.Information, "{Shards} rules shards watch {Households} households from {Now:O}")]
    public static partial void ShardsStarted(this ILogger logger, int shards, int households, DateTimeOffset now);

    [LoggerMessage(1201, LogLevel.Information, "Alert {AlertId} {Change}: {Kind} at household {HouseholdId}, level {Level}, state {State}")]
    public static partial void AlertChanged(this ILogger logger, string alertId, string change, string kind, string householdId, string level, string state);

    [LoggerMessage(1301, LogLevel.Information, "Demo clock: starts at {Start:O} and runs {Speed} times faster than real time")]
    public static partial void ClockScaled(this ILogger logger, DateTimeOffset start, double speed);

    [LoggerMessage(1701, LogLevel.Information, "Connected to broker {Host}:{Port} (session resumed: {SessionPresent})")]
    public static partial void BrokerConnected(this ILogger logger, string host, int port, bool sessionPresent);

    [LoggerMessage(1702, LogLevel.Warning, "Broker {Host}:{Port} not reachable, retrying within {BackoffMs} ms: {Error}")]
    public static partial void BrokerConnectFailed(this ILogger logger, string host, int port, double backoffMs, string error);

    [LoggerMessage(1601, LogLevel.Information, "Spool {Path} opened: {Batches} batches ({Bytes} bytes) waiting in {Segments} segments, {TornRecords} torn records cut off")]
    public static partial void SpoolOpened(this ILogger logger, string path, int batches, long bytes, int segments, int tornRecords);

    [LoggerMessage(1602, LogLevel.Warning, "Spool segment {Segment}: the record at offset {Offset} is torn ({Reason}); the segment is cut there, {DroppedBytes} bytes dropped")]
    public static partial void SpoolTornRecord(this ILogger logger, long segment, long offset, Spool.DiskSpool.TornReason reason, long droppedBytes);

    [LoggerMessage(1603, LogLevel.Warning, "Spool full ({Bytes} of {MaxBytes} bytes in {Batches} batches): appends wait until replayed batches are acknowledged")]
    public static partial void SpoolFull(this ILogger logger, long bytes, long maxBytes, int batches);

    [LoggerMessage(1604, LogLevel.Debug, "Spool segment {Segment} started")]
    public static partial void SpoolSegmentStarted(this ILogger logger, long segment);

    [LoggerMessage(1605, LogLevel.Debug, "Spool segment {Segment} fully acknowledged and deleted")]
    public static partial void SpoolSegmentDeleted(this ILogger logger, long segment);

    [LoggerMessage(1606, LogLevel.Information, "Spool drained: every spooled batch is acknowledged ({Replayed} replayed since start)")]
    public static partial void SpoolDrained(this ILogger logger, long replayed);

    [LoggerMessage(1401, LogLevel.Warning, "Rejected device message ({Reason}) on {Topic}: {Detail}; {Suppressed} more from this source not logged since its last line")]
    public static partial void MessageRejected(this ILogger logger, string reason, string topic, string detail, long suppressed);

    [LoggerMessage(1501, LogLevel.Information, "InfluxDB {Api} writer: {WriteUrl}, batches of up to {BatchSize} points, {Concurrency} in flight, spool {HasSpool}")]
    public static partial void InfluxWriterStarting(this ILogger logger, string api, string writeUrl, int batchSize, int concurrency, bool hasSpool);

    [LoggerMessage(1502, LogLevel.Warning, "InfluxDB database not created at start ({Reason}); a write that finds it missing creates it")]
    public static partial void InfluxDatabaseNotCreated(this ILogger logger, string reason);

    [LoggerMessage(1503, LogLevel.Warning, "InfluxDB database is missing; creating it")]
    public static partial void InfluxDatabaseMissing(this ILogger logger);

    [LoggerMessage(1504, LogLevel.Warning, "InfluxDB refused a batch of {Points} points (HTTP {Status}); not retried")]
    public static partial void InfluxBatchRejected(this ILogger logger, int points, int status);

    [LoggerMessage(1505, LogLevel.Warning, "InfluxDB unreachable ({Reason}); batches are retried, then spooled")]
    public static partial void InfluxUnreachable(this ILogger logger, string reason);

    [LoggerMessage(1506, LogLevel.Information, "InfluxDB reachable again")]
    public static partial void InfluxReachable(this ILogger logger);

    [LoggerMessage(1507, LogLevel.Debug, "A batch of {Points} points went to the spool after {Budget} of retries")]
    public static partial void InfluxBatchSpooled(this ILogger logger, int points, TimeSpan budget);

    [LoggerMessage(1508, LogLevel.Error, "A batch of {Points} points could not be spooled; retrying InfluxDB and the spool")]
    public static partial void SpoolAppendFailed(this ILogger logger, int points, Exception exception);

    [LoggerMessage(1509, LogLevel.Information, "Replayed {Batches} spooled batches into InfluxDB")]
    public static partial void SpoolReplayed(this ILogger logger, long batches);

    [LoggerMessage(1510, LogLevel.Error, "A batch of {Points} points was not stored")]
    public static partial void InfluxBatchLost(this ILogger logger, int points, Exception exception);

    [LoggerMessage(1511, LogLevel.Error, "Spool replay failed; retrying")]
    public static partial void SpoolReplayFailed(this ILogger logger, Exception exception);

    [LoggerMessage(1801, LogLevel.Information, "Rebuilt the state of {Households} households from InfluxDB, known until {KnownUntil:O}; deadlines past since then fire now")]
    public static partial void StateRecovered(this ILogger logger, int households, DateTimeOffset knownUntil);

    [LoggerMessage(1802, LogLevel.Warning, "Starting without state from InfluxDB: {Reason}")]
    public static partial void RecoverySkipped(this ILogger logger, string reason);
}
