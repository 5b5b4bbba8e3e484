using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway;

/// <summary>Device authentication's log lines (event ids 2501–2549): household and device ids only, never secrets.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(2501, LogLevel.Warning, "MQTT devices connect without credentials: set Mqtt:CredentialsPath for production")]
    public static partial void DevicesAnonymous(this ILogger logger);

    [LoggerMessage(2502, LogLevel.Information, "Device credentials {Path}: {Devices} devices may connect; {Unregistered} entries not in the registry left out; anonymous connections {Anonymous}")]
    public static partial void DeviceCredentialsLoaded(this ILogger logger, string path, int devices, int unregistered, string anonymous);

    [LoggerMessage(2503, LogLevel.Warning, "MQTT connection refused ({Reason}) for user {UserName} ({Suppressed} more since the last line for it)")]
    public static partial void DeviceConnectRefused(this ILogger logger, string reason, string userName, long suppressed);

    [LoggerMessage(2504, LogLevel.Warning, "Publish refused (not-authorised): device {UserName} on a topic not its own, under {TopicRoot} ({Suppressed} more since the last line for it)")]
    public static partial void DevicePublishRefused(this ILogger logger, string userName, string topicRoot, long suppressed);

    [LoggerMessage(2505, LogLevel.Warning, "Subscribe refused: device {UserName} may not subscribe ({Suppressed} more since the last line for it)")]
    public static partial void DeviceSubscribeRefused(this ILogger logger, string userName, long suppressed);
}
