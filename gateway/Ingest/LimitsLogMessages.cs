namespace LightsOn.Gateway;

/// <summary>Device limits' log lines (event ids 2551–2599): household and device ids only.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(2551, LogLevel.Warning, "Device {Household}/{Device} is over its rate of {Rate}/s (burst {Burst}): its messages are dropped, SOS and fall aside; {Suppressed} more dropped since its last line")]
    public static partial void DeviceRateLimited(this ILogger logger, string household, string device, double rate, int burst, long suppressed);
}
