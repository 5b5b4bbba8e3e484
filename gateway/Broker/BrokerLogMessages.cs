namespace LightsOn.Gateway;

/// <summary>The embedded broker's log lines (event ids 2701–2749): client ids only.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(2701, LogLevel.Information, "MQTT broker listening on {Endpoint}, {Transport} (packets up to {MaxPacketBytes} bytes)")]
    public static partial void MqttBrokerListening(this ILogger logger, string endpoint, string transport, int maxPacketBytes);

    [LoggerMessage(2705, LogLevel.Debug, "MQTT TLS handshake failed: {Error}")]
    public static partial void MqttTlsHandshakeFailed(this ILogger logger, string error);

    [LoggerMessage(2702, LogLevel.Debug, "MQTT connection of client {ClientId} closed: {Violation}")]
    public static partial void MqttProtocolViolation(this ILogger logger, string clientId, string violation);

    [LoggerMessage(2703, LogLevel.Warning, "MQTT subscriber {ClientId} disconnected: more than {Queued} publications waiting for it")]
    public static partial void MqttSubscriberTooSlow(this ILogger logger, string clientId, int queued);

    [LoggerMessage(2704, LogLevel.Warning, "MQTT accept failed: {Error}")]
    public static partial void MqttAcceptFailed(this ILogger logger, string error);
}
