using System.Buffers.Binary;
using System.Text;

namespace LightsOn.Benchmarks.EndToEnd.Load;

/// <summary>
/// The few MQTT 3.1.1 packets the load sends, written straight into a send buffer: a client
/// library's per-message objects and tasks would cost more CPU than the brokers it measures.
/// </summary>
internal static class MqttPackets
{
    public const byte ConnAck = 0x20;
    public const byte PubAck = 0x40;

    /// <summary>CONNECT, clean session, keep-alive 0 (off: the load never idles), no credentials [MQTT-3.1].</summary>
    public static byte[] Connect(string clientId)
    {
        byte[] id = Encoding.UTF8.GetBytes(clientId);
        var packet = new List<byte> { 0x10 };
        int remaining = 10 + 2 + id.Length;
        WriteRemainingLength(packet, remaining);
        packet.AddRange([0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x00]);
        packet.Add((byte)(id.Length >> 8));
        packet.Add((byte)id.Length);
        packet.AddRange(id);
        return [.. packet];
    }

    public static ReadOnlySpan<byte> Disconnect => [0xE0, 0x00];

    /// <summary>PUBLISH at QoS 1, not retained, not a duplicate [MQTT-3.3]; returns the bytes written.</summary>
    public static int WritePublishQos1(Span<byte> destination, ReadOnlySpan<byte> topic, ushort packetId, ReadOnlySpan<byte> payload)
    {
        int remaining = 2 + topic.Length + 2 + payload.Length;
        destination[0] = 0x32;
        int at = 1;
        do
        {
            byte digit = (byte)(remaining % 128);
            remaining /= 128;
            destination[at++] = remaining > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (remaining > 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)topic.Length);
        at += 2;
        topic.CopyTo(destination[at..]);
        at += topic.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[at..], packetId);
        at += 2;
        payload.CopyTo(destination[at..]);
        return at + payload.Length;
    }

    private static void WriteRemainingLength(List<byte> packet, int remaining)
    {
        do
        {
            byte digit = (byte)(remaining % 128);
            remaining /= 128;
            packet.Add(remaining > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remaining > 0);
    }
}
