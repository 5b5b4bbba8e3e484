using System.Buffers;
using System.Text;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// Reads the fields of one packet body (MQTT 5.0, 1.5 data representation). Every read checks
/// that the body holds what it announces; running short throws, because a packet that
/// promises more than it carries is malformed [MQTT-4.8.0-1].
/// </summary>
internal ref struct MqttBodyReader(ReadOnlySequence<byte> body)
{
    private SequenceReader<byte> _reader = new(body);

    public readonly long Remaining => _reader.Remaining;

    public readonly ReadOnlySequence<byte> Rest => _reader.UnreadSequence;

    public byte ReadByte() => _reader.TryRead(out byte value) ? value : throw Short();

    public ushort ReadUInt16() => _reader.TryReadBigEndian(out short value) ? (ushort)value : throw Short();

    public uint ReadUInt32() => _reader.TryReadBigEndian(out int value) ? (uint)value : throw Short();

    /// <summary>A variable byte integer (MQTT 5.0, 1.5.5).</summary>
    public int ReadVarInt()
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            byte b = ReadByte();
            value |= (b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "variable byte integer longer than four bytes");
    }

    /// <summary>The bytes of a length-prefixed field (a UTF-8 string or binary data), without copying when they are contiguous.</summary>
    public ReadOnlySequence<byte> ReadPrefixed()
    {
        int length = ReadUInt16();
        if (_reader.Remaining < length)
        {
            throw Short();
        }
        var field = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return field;
    }

    public string ReadString()
    {
        var bytes = ReadPrefixed();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            // [MQTT-1.5.4-1]: ill-formed UTF-8 in a string is a malformed packet.
            throw new MqttProtocolException("a string is not well-formed UTF-8", e);
        }
    }

    public byte[] ReadBinary() => ReadPrefixed().ToArray();

    /// <summary>Reads the property length and returns a reader over just the properties (MQTT 5.0, 2.2.2).</summary>
    public MqttPropertyReader ReadProperties()
    {
        int length = ReadVarInt();
        if (_reader.Remaining < length)
        {
            throw Short();
        }
        var properties = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return new MqttPropertyReader(properties);
    }

    /// <summary>Reads past MQTT 5 properties the broker acts on none of (still checked to be well-formed).</summary>
    public void SkipProperties()
    {
        var properties = ReadProperties();
        while (properties.TryRead(out _, out _))
        {
        }
    }

    private static MqttProtocolException Short() => new(MqttReasonCode.MalformedPacket, "packet shorter than its fields");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
