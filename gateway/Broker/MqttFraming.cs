using System.Buffers;

namespace LightsOn.Gateway.Broker;

/// <summary>
/// Cuts whole control packets out of the received bytes: the fixed header (type, flags and the
/// variable-length "remaining length", MQTT 5.0 2.1) and the body it announces. The size is
/// checked from the header alone, so an oversized packet is refused before its body is
/// buffered.
/// </summary>
internal static class MqttFraming
{
    /// <summary>The largest remaining length four bytes can carry (MQTT 5.0, 1.5.5).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>
    /// True with the next packet when <paramref name="buffer"/> holds all of it (and
    /// <paramref name="buffer"/> then starts after it); false when more bytes are needed.
    /// </summary>
    /// <exception cref="MqttProtocolException">A malformed length, or a packet over <paramref name="maxPacketBytes"/>.</exception>
    public static bool TryReadPacket(ref ReadOnlySequence<byte> buffer, int maxPacketBytes, out byte header, out ReadOnlySequence<byte> body)
    {
        header = 0;
        body = default;
        if (buffer.Length < 2)
        {
            return false;
        }
        var first = buffer.FirstSpan;
        int length;
        int headerBytes;
        if (first.Length >= 2 && first[1] < 0x80)
        {
            // Almost every packet here: a remaining length under 128 in one contiguous segment.
            header = first[0];
            length = first[1];
            headerBytes = 2;
        }
        else if (!TryReadSlow(buffer, out header, out length, out headerBytes))
        {
            return false;
        }
        if (length + headerBytes > maxPacketBytes)
        {
            throw new MqttProtocolException(MqttReasonCode.PacketTooLarge, $"packet of {length + headerBytes} bytes is over the limit of {maxPacketBytes}");
        }
        if (buffer.Length < headerBytes + length)
        {
            return false;
        }
        body = buffer.Slice(headerBytes, length);
        buffer = buffer.Slice(body.End);
        return true;
    }

    private static bool TryReadSlow(in ReadOnlySequence<byte> buffer, out byte header, out int length, out int headerBytes)
    {
        var reader = new SequenceReader<byte>(buffer);
        reader.TryRead(out header);
        length = 0;
        for (int i = 0; i < 4; i++)
        {
            if (!reader.TryRead(out byte b))
            {
                headerBytes = 0;
                return false;
            }
            length |= (b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                headerBytes = i + 2;
                return true;
            }
        }
        throw new MqttProtocolException(MqttReasonCode.MalformedPacket, "remaining length longer than four bytes");
    }
}
