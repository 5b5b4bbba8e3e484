using System.Buffers;
using System.Text;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// What a CONNECT asks for (MQTT 3.1, 3.1.1 and 5.0, 3.1). A will message is read past and not
/// kept: devices here report through heartbeats, and the gateway marks a silent device offline
/// by its heartbeat timeout, not by a will (docs/mqtt.md).
/// </summary>
internal sealed class ConnectPacket
{
    public required byte ProtocolLevel { get; init; }
    public required string ClientId { get; init; }
    public string? UserName { get; init; }
    public string? Password { get; init; }
    public required ushort KeepAliveSeconds { get; init; }
    public required bool CleanStart { get; init; }

    /// <summary>MQTT 5: how many QoS 1 publications the client takes unacknowledged; 65,535 when not given.</summary>
    public ushort ReceiveMaximum { get; init; } = ushort.MaxValue;

    /// <summary>MQTT 5: enhanced authentication (an AUTH exchange), which this broker does not offer.</summary>
    public bool AsksForEnhancedAuthentication { get; init; }

    public bool IsVersion5 => ProtocolLevel == 5;

    /// <exception cref="MqttProtocolException">Not a well-formed CONNECT.</exception>
    public static ConnectPacket Parse(byte header, in ReadOnlySequence<byte> body, out bool supportedLevel)
    {
        if ((header & 0x0F) != 0)
        {
            throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "CONNECT with reserved flags set");
        }
        var reader = new MqttBodyReader(body);
        string protocolName = reader.ReadString();
        byte level = reader.ReadByte();
        supportedLevel = level switch
        {
            3 => protocolName == "MQIsdp",
            4 or 5 => protocolName == "MQTT",
            _ => false,
        };
        if (!supportedLevel)
        {
            return new ConnectPacket { ProtocolLevel = level, ClientId = "", KeepAliveSeconds = 0, CleanStart = true };
        }
        byte flags = reader.ReadByte();
        if ((flags & 0x01) != 0)
        {
            // [MQTT-3.1.2-3]
            throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "CONNECT with the reserved flag set");
        }
        ushort keepAlive = reader.ReadUInt16();
        ushort receiveMaximum = ushort.MaxValue;
        bool enhancedAuthentication = false;
        if (level == 5)
        {
            var properties = reader.ReadProperties();
            while (properties.TryRead(out byte id, out uint value))
            {
                if (id == MqttPropertyReader.ReceiveMaximum)
                {
                    receiveMaximum = value == 0 ? throw new MqttProtocolException("Receive Maximum of 0") : (ushort)value;
                }
                else if (id == MqttPropertyReader.AuthenticationMethod)
                {
                    enhancedAuthentication = true;
                }
            }
        }
        string clientId = reader.ReadString();
        if ((flags & 0x04) != 0)
        {
            if (level == 5)
            {
                reader.SkipProperties();
            }
            reader.ReadPrefixed();
            reader.ReadPrefixed();
        }
        string? userName = (flags & 0x80) != 0 ? reader.ReadString() : null;
        // The password is binary data in MQTT; device secrets are text, and bytes that are not
        // UTF-8 simply match no secret.
        string? password = (flags & 0x40) != 0 ? Encoding.UTF8.GetString(reader.ReadPrefixed()) : null;
        return new ConnectPacket
        {
            ProtocolLevel = level,
            ClientId = clientId,
            UserName = userName,
            Password = password,
            KeepAliveSeconds = keepAlive,
            CleanStart = (flags & 0x02) != 0,
            ReceiveMaximum = receiveMaximum,
            AsksForEnhancedAuthentication = enhancedAuthentication,
        };
    }
}
