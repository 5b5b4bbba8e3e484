namespace LightsOn.Gateway.Broker;

/// <summary>
/// A packet that breaks the protocol: the connection is closed (MQTT 5 clients first get a
/// DISCONNECT with <see cref="Reason"/>), as MQTT requires for a malformed packet [MQTT-4.8.0-1].
/// </summary>
internal sealed class MqttProtocolException : Exception
{
    public MqttProtocolException()
        : this("protocol error")
    {
    }

    public MqttProtocolException(string message)
        : this(MqttReasonCode.ProtocolError, message)
    {
    }

    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException) => Reason = MqttReasonCode.ProtocolError;

    public MqttProtocolException(MqttReasonCode reason, string message)
        : base(message) => Reason = reason;

    public MqttReasonCode Reason { get; }
}
