using System.Buffers;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// Walks MQTT 5 properties (MQTT 5.0, 2.2.2.2): numeric ones are returned, strings, binary data
/// and user properties are skipped, since the broker acts on none of their contents.
/// </summary>
internal ref struct MqttPropertyReader(ReadOnlySequence<byte> properties)
{
    public const byte SessionExpiryInterval = 0x11;
    public const byte AssignedClientIdentifier = 0x12;
    public const byte AuthenticationMethod = 0x15;
    public const byte ReasonString = 0x1F;
    public const byte ReceiveMaximum = 0x21;
    public const byte TopicAliasMaximum = 0x22;
    public const byte TopicAlias = 0x23;
    public const byte MaximumQos = 0x24;
    public const byte RetainAvailable = 0x25;
    public const byte MaximumPacketSize = 0x27;
    public const byte WildcardSubscriptionAvailable = 0x28;
    public const byte SubscriptionIdentifiersAvailable = 0x29;
    public const byte SharedSubscriptionAvailable = 0x2A;

    private MqttBodyReader _reader = new(properties);

    /// <returns>False at the end of the properties.</returns>
    public bool TryRead(out byte id, out uint value)
    {
        value = 0;
        if (_reader.Remaining == 0)
        {
            id = 0;
            return false;
        }
        id = _reader.ReadByte();
        switch (id)
        {
            case 0x01 or 0x17 or 0x19 or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A:
                value = _reader.ReadByte();
                break;
            case 0x13 or 0x21 or 0x22 or 0x23:
                value = _reader.ReadUInt16();
                break;
            case 0x02 or 0x11 or 0x18 or 0x27:
                value = _reader.ReadUInt32();
                break;
            case 0x0B:
                value = (uint)_reader.ReadVarInt();
                break;
            case 0x03 or 0x08 or 0x09 or 0x12 or 0x15 or 0x16 or 0x1A or 0x1C or 0x1F:
                _reader.ReadPrefixed();
                break;
            case 0x26:
                _reader.ReadPrefixed();
                _reader.ReadPrefixed();
                break;
            default:
                throw new MqttProtocolException(MqttReasonCode.MalformedPacket, $"unknown property 0x{id:X2}");
        }
        return true;
    }
}
