namespace LightsOn.Gateway;

internal static partial class LogMessages
{
    [LoggerMessage(2201, LogLevel.Warning, "History read for {Endpoint} failed, InfluxDB answered: {Error}")]
    public static partial void HistoryReadFailed(this ILogger logger, string endpoint, string error);
}
