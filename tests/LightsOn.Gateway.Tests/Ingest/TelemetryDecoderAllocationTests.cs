using System.Buffers;
using System.Text;
using LightsOn.Gateway.Ingest;
using static LightsOn.Gateway.Tests.Ingest.IngestRegistry;

namespace LightsOn.Gateway.Tests.Ingest;

/// <summary>
/// The hot path allocates nothing (design.md, Targets: 0 B per message). An allocation
/// count, not a timing: the same on any machine.
/// </summary>
public sealed class TelemetryDecoderAllocationTests
{
    private const int Rounds = 20_000;

    private static readonly (string Topic, ReadOnlySequence<byte> Payload)[] Messages =
    [
        ("lightson/hp-nanshi/h0001/door/d1", Utf8("{\"ts\":1795417000000,\"seq\":17,\"open\":true}")),
        ("lightson/hp-nanshi/h0001/light/l1", Utf8("{\"on\":true,\"lux\":212.5,\"seq\":18,\"fw\":{\"v\":[1,2,3]}}")),
        ("lightson/hp-nanshi/h0001/motion/m1", Utf8("{\"motion\":true}")),
        ("lightson/hp-nanshi/h0001/fall/f1", Utf8("{\"confidence\":0.9,\"ts\":1}")),
        ("lightson/hp-nanshi/h0001/sos/b1", Utf8("{}")),
        ("lightson/hp-penglai/h0003/status/m7", Utf8("{\"battery\":50,\"rssi\":-70,\"\\u0073eq\":3}")),
        ("lightson/hp-nanshi/h0002/light/l1", SegmentedSequence.Split(Encoding.UTF8.GetBytes("{\"on\":false,\"lux\":3,\"seq\":123456}"), 5)),
    ];

    public static TheoryData<int> Kinds => new(Enumerable.Range(0, Messages.Length));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Decoding_an_accepted_message_allocates_nothing(int index)
    {
        var (topic, payload) = Messages[index];
        Decode(topic, payload, 100); // warm up: JIT, pools, statics

        long before = GC.GetAllocatedBytesForCurrentThread();
        long accepted = Decode(topic, payload, Rounds);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Rounds, accepted);
        Assert.True(allocated == 0, $"{topic}: {allocated} bytes over {accepted} decodes ({(double)allocated / accepted:F2} B per decode)");
    }

    private static long Decode(string topic, ReadOnlySequence<byte> payload, int rounds)
    {
        var decoder = DefaultDecoder;
        long accepted = 0;
        for (int round = 0; round < rounds; round++)
        {
            if (decoder.TryDecode(topic, payload, ReceivedAtMs, out var message, out _) && message.Point.Household is not null)
            {
                accepted++;
            }
        }
        return accepted;
    }

    private static ReadOnlySequence<byte> Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
