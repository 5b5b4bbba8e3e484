using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LightsOn.Gateway.Broker;

/// <summary>Writes the packets the broker sends, for MQTT 3.1/3.1.1 or 5.0 as the connection speaks.</summary>
internal static class MqttPacketWriter
{
    /// <summary>What the broker tells an MQTT 5 client about itself in CONNACK (MQTT 5.0, 3.2.2.3).</summary>
    public readonly record struct ServerLimits(ushort ReceiveMaximum, int MaximumPacketSize);

    public static void WriteConnAck(IBufferWriter<byte> output, bool version5, MqttReasonCode code, in ServerLimits limits,
        string? assignedClientId = null, string? reasonString = null)
    {
        if (!version5)
        {
            Span<byte> packet = [0x20, 0x02, 0x00, ToConnectReturnCode(code)];
            output.Write(packet);
            return;
        }
        int properties = 0;
        if (code == MqttReasonCode.Success)
        {
            // Receive Maximum, Maximum Packet Size, no retained messages, QoS up to 1 granted to
            // subscribers, wildcards yes, subscription ids and shared subscriptions no.
            properties = 3 + 5 + 2 + 2 + 2 + 2 + 2;
            if (assignedClientId is not null)
            {
                properties += 3 + Encoding.UTF8.GetByteCount(assignedClientId);
            }
        }
        if (reasonString is not null)
        {
            properties += 3 + Encoding.UTF8.GetByteCount(reasonString);
        }
        int remaining = 2 + VarIntSize(properties) + properties;
        WriteFixedHeader(output, 0x20, remaining);
        WriteByte(output, 0x00);
        WriteByte(output, (byte)code);
        WriteVarInt(output, properties);
        if (code == MqttReasonCode.Success)
        {
            WriteByte(output, MqttPropertyReader.ReceiveMaximum);
            WriteUInt16(output, limits.ReceiveMaximum);
            WriteByte(output, MqttPropertyReader.MaximumPacketSize);
            WriteUInt32(output, (uint)limits.MaximumPacketSize);
            WriteByte(output, MqttPropertyReader.RetainAvailable);
            WriteByte(output, 0);
            WriteByte(output, MqttPropertyReader.MaximumQos);
            WriteByte(output, 1);
            WriteByte(output, MqttPropertyReader.WildcardSubscriptionAvailable);
            WriteByte(output, 1);
            WriteByte(output, MqttPropertyReader.SubscriptionIdentifiersAvailable);
            WriteByte(output, 0);
            WriteByte(output, MqttPropertyReader.SharedSubscriptionAvailable);
            WriteByte(output, 0);
            if (assignedClientId is not null)
            {
                WriteByte(output, MqttPropertyReader.AssignedClientIdentifier);
                WriteString(output, assignedClientId);
            }
        }
        if (reasonString is not null)
        {
            WriteByte(output, MqttPropertyReader.ReasonString);
            WriteString(output, reasonString);
        }
    }

    /// <summary>PUBACK, PUBREC or PUBCOMP; MQTT 5 carries the reason code unless it is Success [MQTT 5.0, 3.4.2.1].</summary>
    public static void WriteAck(IBufferWriter<byte> output, MqttPacketType type, ushort packetId, MqttReasonCode reason, bool version5)
    {
        var span = output.GetSpan(5);
        span[0] = (byte)((byte)type << 4);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], packetId);
        if (version5 && reason != MqttReasonCode.Success)
        {
            span[1] = 3;
            span[4] = (byte)reason;
            output.Advance(5);
        }
        else
        {
            span[1] = 2;
            output.Advance(4);
        }
    }

    /// <param name="codes">Per filter: the granted QoS, or an MQTT 5 failure reason (3.1.1 clients get 0x80).</param>
    public static void WriteSubAck(IBufferWriter<byte> output, ushort packetId, ReadOnlySpan<MqttReasonCode> codes, bool version5)
    {
        WriteFixedHeader(output, (byte)MqttPacketType.SubAck << 4, 2 + (version5 ? 1 : 0) + codes.Length);
        WriteUInt16(output, packetId);
        if (version5)
        {
            WriteByte(output, 0);
        }
        foreach (var code in codes)
        {
            WriteByte(output, version5 || (byte)code < 0x80 ? (byte)code : (byte)0x80);
        }
    }

    public static void WriteUnsubAck(IBufferWriter<byte> output, ushort packetId, ReadOnlySpan<MqttReasonCode> codes, bool version5)
    {
        if (!version5)
        {
            WriteFixedHeader(output, (byte)MqttPacketType.UnsubAck << 4, 2);
            WriteUInt16(output, packetId);
            return;
        }
        WriteFixedHeader(output, (byte)MqttPacketType.UnsubAck << 4, 3 + codes.Length);
        WriteUInt16(output, packetId);
        WriteByte(output, 0);
        foreach (var code in codes)
        {
            WriteByte(output, (byte)code);
        }
    }

    public static void WritePingResp(IBufferWriter<byte> output) => output.Write<byte>([0xD0, 0x00]);

    public static void WritePubComp(IBufferWriter<byte> output, ushort packetId) =>
        WriteAck(output, MqttPacketType.PubComp, packetId, MqttReasonCode.Success, version5: false);

    /// <summary>A PUBLISH to a subscriber: QoS 0 or 1, never retained, no properties.</summary>
    public static void WritePublish(IBufferWriter<byte> output, string topic, ReadOnlySpan<byte> payload, int qos, ushort packetId, bool version5)
    {
        int topicBytes = Encoding.UTF8.GetByteCount(topic);
        int remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + (version5 ? 1 : 0) + payload.Length;
        WriteFixedHeader(output, (byte)(((byte)MqttPacketType.Publish << 4) | (qos << 1)), remaining);
        WriteString(output, topic, topicBytes);
        if (qos > 0)
        {
            WriteUInt16(output, packetId);
        }
        if (version5)
        {
            WriteByte(output, 0);
        }
        output.Write(payload);
    }

    /// <summary>A server DISCONNECT with its reason; MQTT 5 only (3.1.1 has none: the server just closes).</summary>
    public static void WriteDisconnect(IBufferWriter<byte> output, MqttReasonCode reason) =>
        output.Write<byte>([(byte)MqttPacketType.Disconnect << 4, 0x01, (byte)reason]);

    /// <summary>The 3.1.1 CONNACK return code nearest to an MQTT 5 reason (MQTT 3.1.1, 3.2.2.3).</summary>
    private static byte ToConnectReturnCode(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success => 0,
        MqttReasonCode.UnsupportedProtocolVersion => 1,
        MqttReasonCode.ClientIdentifierNotValid => 2,
        MqttReasonCode.BadUserNameOrPassword => 4,
        MqttReasonCode.NotAuthorized or MqttReasonCode.BadAuthenticationMethod => 5,
        _ => 3,
    };

    private static void WriteFixedHeader(IBufferWriter<byte> output, byte first, int remaining)
    {
        WriteByte(output, first);
        WriteVarInt(output, remaining);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteUInt16(IBufferWriter<byte> output, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    private static void WriteUInt32(IBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteVarInt(IBufferWriter<byte> output, int value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            WriteByte(output, value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
    }

    private static void WriteString(IBufferWriter<byte> output, string value) => WriteString(output, value, Encoding.UTF8.GetByteCount(value));

    private static void WriteString(IBufferWriter<byte> output, string value, int bytes)
    {
        WriteUInt16(output, (ushort)bytes);
        int written = Encoding.UTF8.GetBytes(value, output.GetSpan(bytes));
        output.Advance(written);
    }

    private static int VarIntSize(int value) => value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
}
