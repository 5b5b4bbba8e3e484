namespace LightsOn.Gateway;

/// <summary>
/// Every log line of the gateway, with stable event ids. Ids and counts only: names, phone
/// numbers and ages from the registry never reach a log.
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(1001, LogLevel.Information, "Registry {Path} loaded: {Households} households in {Communities} communities, {Devices} devices")]
    public static partial void RegistryLoaded(this ILogger logger, string path, int households, int communities, int devices);

    [LoggerMessage(1101, LogLevel.Debug, "Rules shard {Shard} watches {Households} households")]
    public static partial void ShardCreated(this ILogger logger, int shard, int households);

    [LoggerMessage(1102, LogLevel.Information, "{Shards} rules shards watch {Households} households from {Now:O}")]
    public static partial void ShardsStarted(this ILogger logger, int shards, int households, DateTimeOffset now);

    [LoggerMessage(1201, LogLevel.Information, "Alert {AlertId} {Change}: {Kind} at household {HouseholdId}, level {Level}, state {State}")]
    public static partial void AlertChanged(this ILogger logger, string alertId, string change, string kind, string householdId, string level, string state);

    [LoggerMessage(1301, LogLevel.Information, "Demo clock: starts at {Start:O} and runs {Speed} times faster than real time")]
    public static partial void ClockScaled(this ILogger logger, DateTimeOffset start, double speed);

    [LoggerMessage(1401, LogLevel.Warning, "Rejected device message ({Reason}) on {Topic}: {Detail}; {Suppressed} more from this source not logged since its last line")]
    public static partial void MessageRejected(this ILogger logger, string reason, string topic, string detail, long suppressed);
}
