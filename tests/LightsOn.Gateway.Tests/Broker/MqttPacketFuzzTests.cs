using System.Buffers;
using CsCheck;
using LightsOn.Gateway.Broker;
using LightsOn.Gateway.Tests.Ingest;

namespace LightsOn.Gateway.Tests.Broker;

/// <summary>
/// A randomized run over what the embedded broker reads before it trusts a client: packet
/// framing, CONNECT (3.1.1 and 5.0, with properties, will and credentials) and PUBLISH headers
/// with MQTT 5 properties. Valid packets, mutated byte by byte, cut short and padded: every input
/// is a packet, a wait for more bytes, or a protocol error — never another exception — and cutting
/// the bytes into segments changes nothing.
/// </summary>
public sealed class MqttPacketFuzzTests
{
    private const int MaxPacketBytes = 4096;

    private static readonly byte[][] Seeds =
    [
        // CONNECT 3.1.1, clean session, keep alive 60, client id "k".
        [0x10, 13, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0, 60, 0, 1, (byte)'k'],
        // CONNECT 5.0: receive maximum and session expiry properties, a will with properties, user name and password.
        [0x10, 46, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 5, 0xC6, 0, 30,
            8, 0x21, 0, 10, 0x11, 0, 0, 0, 60,
            0, 2, (byte)'c', (byte)'1',
            2, 0x01, 1,
            0, 3, (byte)'w', (byte)'/', (byte)'t', 0, 2, (byte)'h', (byte)'i',
            0, 5, (byte)'h', (byte)'1', (byte)'/', (byte)'d', (byte)'1',
            0, 2, (byte)'p', (byte)'w'],
        // PUBLISH QoS 1 with a topic alias property, then PINGREQ.
        [0x32, 14, 0, 5, (byte)'a', (byte)'/', (byte)'b', (byte)'/', (byte)'c', 0, 7, 3, 0x23, 0, 1, (byte)'{', 0xC0, 0],
        // SUBSCRIBE with a user property and two filters.
        [0x82, 23, 0, 9, 8, 0x26, 0, 1, (byte)'k', 0, 2, (byte)'v', (byte)'!', 0, 3, (byte)'a', (byte)'/', (byte)'#', 1, 0, 3, (byte)'+', (byte)'/', (byte)'b', 0],
    ];

    [Fact]
    public void Any_bytes_are_a_packet_a_wait_for_more_or_a_protocol_error()
    {
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[0, 6], Gen.ULong, Gen.Int[1, 16])
            .Select(t => (Bytes: Mutate(Seeds[t.Item1], t.Item2, t.Item3), Segment: t.Item4))
            .Sample(t => Check(t.Bytes, t.Segment), iter: 100_000, threads: 1,
                print: t => $"{Convert.ToHexString(t.Bytes)} / {t.Segment}");
    }

    [Fact]
    public void Random_bytes_are_a_packet_a_wait_for_more_or_a_protocol_error()
    {
        Gen.Select(Gen.Byte.Array[0, 64], Gen.Int[1, 16])
            .Sample(t => Check(t.Item1, t.Item2), iter: 50_000, threads: 1,
                print: t => $"{Convert.ToHexString(t.Item1)} / {t.Item2}");
    }

    [Fact]
    public void The_seeds_themselves_are_read_as_the_packets_they_are()
    {
        foreach (var seed in Seeds)
        {
            var buffer = new ReadOnlySequence<byte>(seed);
            Assert.True(MqttFraming.TryReadPacket(ref buffer, MaxPacketBytes, out byte header, out var body));
            Read(header, body);
        }
        var connect = new ReadOnlySequence<byte>(Seeds[1]);
        MqttFraming.TryReadPacket(ref connect, MaxPacketBytes, out byte connectHeader, out var connectBody);
        var parsed = ConnectPacket.Parse(connectHeader, connectBody, out bool supported);
        Assert.True(supported);
        Assert.Equal(("c1", "h1/d1", "pw", (ushort)10), (parsed.ClientId, parsed.UserName, parsed.Password, parsed.ReceiveMaximum));
    }

    private static byte[] Mutate(byte[] seed, int mutations, ulong seedValue)
    {
        var random = new Random((int)seedValue ^ (int)(seedValue >> 32));
        var bytes = new List<byte>(seed);
        for (int i = 0; i < mutations; i++)
        {
            switch (random.Next(4))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 2:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    // Cut short: a client that stops mid-packet.
                    int keep = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Reads every whole packet, whole and in segments of <paramref name="segment"/> bytes; both must end the same way.</summary>
    private static void Check(byte[] bytes, int segment)
    {
        string whole = Outcome(new ReadOnlySequence<byte>(bytes));
        string cut = Outcome(SegmentedSequence.Split(bytes, segment));
        Assert.Equal(whole, cut);
    }

    private static string Outcome(ReadOnlySequence<byte> buffer)
    {
        int packets = 0;
        try
        {
            while (MqttFraming.TryReadPacket(ref buffer, MaxPacketBytes, out byte header, out var body))
            {
                Read(header, body);
                packets++;
            }
            return $"{packets} packets, {buffer.Length} bytes left";
        }
        catch (MqttProtocolException e)
        {
            return $"{packets} packets, then {e.Reason}: {e.Message}";
        }
    }

    /// <summary>What the broker reads of a packet before acting on it.</summary>
    private static void Read(byte header, in ReadOnlySequence<byte> body)
    {
        switch ((MqttPacketType)(header >> 4))
        {
            case MqttPacketType.Connect:
                ConnectPacket.Parse(header, body, out _);
                break;
            case MqttPacketType.Publish:
            {
                var reader = new MqttBodyReader(body);
                reader.ReadPrefixed();
                if (((header >> 1) & 3) > 0)
                {
                    reader.ReadUInt16();
                }
                reader.SkipProperties();
                break;
            }
            case MqttPacketType.Subscribe:
            {
                var reader = new MqttBodyReader(body);
                reader.ReadUInt16();
                reader.SkipProperties();
                while (reader.Remaining > 0)
                {
                    reader.ReadString();
                    reader.ReadByte();
                }
                break;
            }
        }
    }
}
