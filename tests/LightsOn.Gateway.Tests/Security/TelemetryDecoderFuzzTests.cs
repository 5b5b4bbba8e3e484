using System.Buffers;
using CsCheck;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Tests.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// A long randomized run over the topic and payload decoder: whatever a device sends, the
/// decoder answers — an accepted message with every value in range, or a rejection with a
/// known reason — and never throws. The payload is decoded whole and in segments, and both
/// must agree.
/// </summary>
/// <remarks>
/// The suite runs <see cref="DefaultIterations"/> cases (a few seconds). For a long run set
/// <c>LIGHTSON_FUZZ_ITERATIONS</c> (and <c>LIGHTSON_FUZZ_SEED</c> to replay a failure CsCheck
/// printed); see docs/security.md.
/// </remarks>
public sealed class TelemetryDecoderFuzzTests
{
    private const long DefaultIterations = 150_000;

    private static readonly TelemetryDecoder Decoder = IngestRegistry.DefaultDecoder;

    [Fact]
    public void The_decoder_answers_every_input_with_a_valid_message_or_a_known_rejection()
    {
        long iterations = long.TryParse(Environment.GetEnvironmentVariable("LIGHTSON_FUZZ_ITERATIONS"), out long n) && n > 0
            ? n : DefaultIterations;
        string? seed = Environment.GetEnvironmentVariable("LIGHTSON_FUZZ_SEED");
        Gen.ULong.Select(DecoderFuzzInput.From).Sample(Check, seed: string.IsNullOrEmpty(seed) ? null : seed, iter: iterations, threads: 1,
            print: input => input.ToString());
    }

    /// <summary>Inputs kept from the fuzzer's families that sit on an edge of the decoder, checked on every run.</summary>
    public static TheoryData<string, string, int> Edges => new()
    {
        { "lightson/hp-nanshi/h0001/status/d1", """{"battery":1e309}""", 3 },
        { "lightson/hp-nanshi/h0001/status/d1", """{"battery":-0}""", 1 },
        { "lightson/hp-nanshi/h0001/status/d1", """{"seq":9223372036854775808}""", 5 },
        { "lightson/hp-nanshi/h0001/status/d1", """{"seq":-9223372036854775808}""", 7 },
        { "lightson/hp-nanshi/h0001/door/d1", """{"open":true,"\u006fpen":false}""", 2 },
        { "lightson/hp-nanshi/h0001/door/d1", """{"open":true,"x":"\ud800"}""", 4 },
        { "lightson/hp-nanshi/h0001/door/d1", "{\"x\":" + new string('[', 200) + new string(']', 200) + ",\"open\":true}", 8 },
        { "lightson/hp-nanshi/h0001/light/l1", """{"on":true,"lux":""" + "0." + new string('0', 400) + "1}", 1 },
        { "lightson/hp-nanshi/h0001/fall/f1", """{"confidence":NaN}""", 2 },
        { "lightson/hp-nanshi/h0001/sos/b1", "{} \u0000", 1 },
        { "lightson/hp-nanshi/h0001/sos/b\u0000", "{}", 1 },
        { "lightson/hp-nanshi/h0001/sos/b1", "", 1 },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void Edge_inputs_are_answered_the_same_whole_and_in_segments(string topic, string payload, int segmentLength) =>
        Check(new DecoderFuzzInput(topic, System.Text.Encoding.UTF8.GetBytes(payload), segmentLength));

    [Fact]
    public void Invalid_utf8_inside_a_skipped_string_is_refused_whole_and_in_segments()
    {
        byte[] payload = [.. "{\"open\":true,\"x\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8];
        Check(new DecoderFuzzInput("lightson/hp-nanshi/h0001/door/d1", payload, 1));
        Assert.False(Decoder.TryDecode("lightson/hp-nanshi/h0001/door/d1", new ReadOnlySequence<byte>(payload), IngestRegistry.ReceivedAtMs, out _, out var rejection));
        Assert.Equal(RejectReason.InvalidJson, rejection.Reason);
    }

    /// <summary>The property, also run by the edge cases above.</summary>
    internal static void Check(DecoderFuzzInput input)
    {
        var whole = new ReadOnlySequence<byte>(input.Payload);
        var pieces = SegmentedSequence.Split(input.Payload, input.SegmentLength);
        bool accepted = Decoder.TryDecode(input.Topic, whole, IngestRegistry.ReceivedAtMs, out var message, out var rejection);
        bool acceptedInPieces = Decoder.TryDecode(input.Topic, pieces, IngestRegistry.ReceivedAtMs, out var messageInPieces, out var rejectionInPieces);

        Assert.Equal(accepted, acceptedInPieces);
        if (accepted)
        {
            AssertInRange(input, message);
            Assert.Equal(message.Point with { }, messageInPieces.Point with { });
            Assert.Equal(message.Event, messageInPieces.Event);
        }
        else
        {
            Assert.True(Enum.IsDefined(rejection.Reason) && rejection.Reason != RejectReason.None, $"unknown reason {rejection.Reason}");
            Assert.False(string.IsNullOrEmpty(rejection.Detail));
            Assert.False(string.IsNullOrEmpty(rejection.Reason.ToWire()));
            Assert.Equal(rejection.Reason, rejectionInPieces.Reason);
        }
    }

    private static void AssertInRange(DecoderFuzzInput input, DecodedMessage message)
    {
        var point = message.Point;
        var device = point.Household.Devices[point.Device];
        Assert.True(point.Kind == DeviceKind.Status || point.Kind == device.Kind, $"{point.Kind} from a {device.Kind} device");
        Assert.Equal($"lightson/{point.Household.Community}/{point.Household.Id}/{point.Kind.ToWire()}/{device.Id}", input.Topic);
        Assert.True(input.Payload.Length <= Decoder.Options.MaxPayloadBytes);
        long received = IngestRegistry.ReceivedAtMs;
        Assert.InRange(point.TimestampMs, received - (long)Decoder.Options.MaxAge.TotalMilliseconds,
            received + (long)Decoder.Options.MaxClockAhead.TotalMilliseconds);
        if ((point.Fields & PointFields.Lux) != 0)
        {
            Assert.True(double.IsFinite(point.Lux) && point.Lux >= 0, $"lux {point.Lux}");
        }
        if ((point.Fields & PointFields.Battery) != 0)
        {
            Assert.InRange(point.Battery, 0, 100);
        }
        if ((point.Fields & PointFields.Rssi) != 0)
        {
            Assert.True(double.IsFinite(point.Rssi), $"rssi {point.Rssi}");
        }
        if ((point.Fields & PointFields.Seq) != 0)
        {
            Assert.True(point.Seq >= 0, $"seq {point.Seq}");
        }
        if (point.Kind == DeviceKind.Fall)
        {
            Assert.InRange(point.Confidence, 0, 1);
        }
        if (point.Kind is DeviceKind.Door or DeviceKind.Light or DeviceKind.Motion)
        {
            Assert.True((point.Fields & PointFields.State) != 0, "state-carrying kind without its state");
        }
    }
}
