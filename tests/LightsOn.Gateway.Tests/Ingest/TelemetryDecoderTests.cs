using System.Text;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;
using static LightsOn.Gateway.Tests.Ingest.IngestRegistry;

namespace LightsOn.Gateway.Tests.Ingest;

public sealed class TelemetryDecoderTests
{
    private const long Ts = 1_795_417_000_000; // 2026-11-23T06:56:40Z, a little before ReceivedAtMs

    private static long TicksOf(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcTicks;

    [Fact]
    public void Door_open_with_ts_and_seq_routes_to_the_household_shard_with_device_time()
    {
        var message = Accept("lightson/hp-nanshi/h0001/door/d1", $$"""{"ts":{{Ts}},"seq":17,"open":true}""");

        var route = RouteOf("h0001");
        Assert.Equal(route.Slot.Shard, message.Shard);
        Assert.Equal(route.Slot.Index, message.LocalHousehold);
        Assert.Same(route.Household, message.Point.Household);
        Assert.Equal("d1", message.Point.DeviceId);
        Assert.Equal(DeviceKind.Door, message.Point.Kind);
        Assert.Equal(Ts, message.Point.TimestampMs);
        Assert.Equal(PointFields.State | PointFields.Seq | PointFields.DeviceTime, message.Point.Fields);
        Assert.Equal(Ts, message.DeviceTimestampMs);
        Assert.True(message.Point.State);
        Assert.Equal(17, message.Point.Seq);
        Assert.True(message.HasSeq);

        var e = message.Event;
        Assert.Equal(DeviceKind.Door, e.Kind);
        Assert.Equal(route.Slot.Index, e.Household);
        Assert.Equal(0, e.Device);
        Assert.Equal(TicksOf(Ts), e.Timestamp);
        Assert.True(e.State);
    }

    [Fact]
    public void Door_closed_without_optional_fields_takes_the_receive_time()
    {
        var message = Accept("lightson/hp-nanshi/h0001/door/d1", """{"open":false}""");

        Assert.Equal(ReceivedAtMs, message.Point.TimestampMs);
        Assert.Equal(TicksOf(ReceivedAtMs), message.Event.Timestamp);
        Assert.Equal(PointFields.State, message.Point.Fields);
        Assert.False(message.Point.State);
        Assert.False(message.Event.State);
        Assert.False(message.HasSeq);
        Assert.Null(message.DeviceTimestampMs);
    }

    [Fact]
    public void Light_on_with_lux_carries_lux()
    {
        var message = Accept("lightson/hp-nanshi/h0001/light/l1", $$"""{"on":true,"lux":212.5,"ts":{{Ts}},"seq":3}""");

        Assert.Equal(PointFields.State | PointFields.Lux | PointFields.Seq | PointFields.DeviceTime, message.Point.Fields);
        Assert.Equal(212.5, message.Point.Lux);
        Assert.Equal(1, message.Point.Device);
        Assert.Equal(DeviceKind.Light, message.Event.Kind);
        Assert.True(message.Event.State);
        Assert.Equal(TicksOf(Ts), message.Event.Timestamp);
    }

    [Fact]
    public void Light_off_without_lux_is_a_light_event_with_state_off()
    {
        var message = Accept("lightson/hp-nanshi/h0002/light/l1", """{"on":false}""");

        Assert.Equal(PointFields.State, message.Point.Fields);
        Assert.Equal(DeviceKind.Light, message.Event.Kind);
        Assert.False(message.Event.State);
        Assert.Equal(RouteOf("h0002").Slot.Shard, message.Shard);
    }

    [Fact]
    public void Lux_of_zero_is_accepted()
    {
        var message = Accept("lightson/hp-nanshi/h0001/light/l1", """{"on":false,"lux":0}""");

        Assert.Equal(0, message.Point.Lux);
        Assert.True((message.Point.Fields & PointFields.Lux) != 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Motion_seen_and_cleared(bool motion)
    {
        var message = Accept("lightson/hp-nanshi/h0001/motion/m1", $$"""{"motion":{{(motion ? "true" : "false")}},"seq":0}""");

        Assert.Equal(DeviceKind.Motion, message.Event.Kind);
        Assert.Equal(motion, message.Event.State);
        Assert.Equal(motion, message.Point.State);
        Assert.Equal(0, message.Point.Seq);
        Assert.Equal(PointFields.State | PointFields.Seq, message.Point.Fields);
    }

    [Fact]
    public void Fall_with_confidence_carries_it_to_the_rules()
    {
        var message = Accept("lightson/hp-nanshi/h0001/fall/f1", $$"""{"confidence":0.59,"ts":{{Ts}}}""");

        Assert.Equal(DeviceKind.Fall, message.Event.Kind);
        Assert.Equal(0.59, message.Event.Confidence);
        Assert.Equal(0.59, message.Point.Confidence);
        Assert.Equal(PointFields.Confidence | PointFields.DeviceTime, message.Point.Fields);
    }

    [Fact]
    public void Fall_without_confidence_means_confidence_one()
    {
        var message = Accept("lightson/hp-nanshi/h0001/fall/f1", "{}");

        Assert.Equal(1.0, message.Event.Confidence);
        Assert.Equal(1.0, message.Point.Confidence);
        Assert.Equal(PointFields.Confidence, message.Point.Fields);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("0e0")]
    public void Fall_confidence_bounds_are_inclusive(string confidence)
    {
        var message = Accept("lightson/hp-nanshi/h0001/fall/f1", $$"""{"confidence":{{confidence}}}""");

        Assert.Equal(double.Parse(confidence, System.Globalization.CultureInfo.InvariantCulture), message.Event.Confidence);
    }

    [Fact]
    public void Sos_needs_no_field()
    {
        var message = Accept("lightson/hp-nanshi/h0001/sos/b1", "{}");

        Assert.Equal(DeviceKind.Sos, message.Event.Kind);
        Assert.Equal(4, message.Event.Device);
        Assert.Equal(PointFields.None, message.Point.Fields);
        Assert.Equal(ReceivedAtMs, message.Point.TimestampMs);
    }

    [Fact]
    public void Sos_with_ts_and_seq_keeps_them()
    {
        var message = Accept("lightson/hp-nanshi/h0001/sos/b1", $$"""{"seq":9007199254740993,"ts":{{Ts}}}""");

        Assert.Equal(9007199254740993, message.Point.Seq);
        Assert.Equal(TicksOf(Ts), message.Event.Timestamp);
    }

    [Fact]
    public void Status_with_battery_and_rssi_is_a_heartbeat_of_any_device()
    {
        var message = Accept("lightson/hp-nanshi/h0001/status/l1", """{"battery":14.5,"rssi":-71,"seq":4}""");

        Assert.Equal(DeviceKind.Status, message.Point.Kind);
        Assert.Equal(1, message.Point.Device);
        Assert.Equal(PointFields.Battery | PointFields.Rssi | PointFields.Seq, message.Point.Fields);
        Assert.Equal(14.5, message.Point.Battery);
        Assert.Equal(-71, message.Point.Rssi);
        Assert.Equal(DeviceKind.Status, message.Event.Kind);
        Assert.Equal(14.5, message.Event.Battery);
    }

    [Fact]
    public void Status_without_battery_gives_the_rules_no_battery_reading()
    {
        var message = Accept("lightson/hp-penglai/h0003/status/m7", "{}");

        Assert.Equal(PointFields.None, message.Point.Fields);
        Assert.True(double.IsNaN(message.Event.Battery));
        Assert.Equal(RouteOf("h0003").Slot, new ShardSlot(message.Shard, message.LocalHousehold));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100")]
    public void Battery_bounds_are_inclusive(string battery)
    {
        var message = Accept("lightson/hp-nanshi/h0001/status/d1", $$"""{"battery":{{battery}}}""");

        Assert.Equal(double.Parse(battery, System.Globalization.CultureInfo.InvariantCulture), message.Event.Battery);
    }

    [Fact]
    public void Unknown_fields_are_skipped_nested_ones_included()
    {
        var message = Accept("lightson/hp-nanshi/h0001/door/d1",
            """{"fw":{"v":[1,2,{"x":null,"open":false}],"open":false},"open":true,"note":"门","list":[[],{}],"n":-1.5e3}""");

        Assert.True(message.Point.State);
        Assert.Equal(PointFields.State, message.Point.Fields);
    }

    [Fact]
    public void Fields_of_another_kind_are_unknown_fields_and_skipped()
    {
        var message = Accept("lightson/hp-nanshi/h0001/door/d1", """{"open":true,"on":"yes","battery":900,"confidence":-1,"lux":-1}""");

        Assert.Equal(PointFields.State, message.Point.Fields);
    }

    [Fact]
    public void Escaped_field_names_are_read_as_their_text()
    {
        var message = Accept("lightson/hp-nanshi/h0001/door/d1", """{"\u006fpen":true,"s\u0065q":5}""");

        Assert.True(message.Point.State);
        Assert.Equal(5, message.Point.Seq);
    }

    [Fact]
    public void Whitespace_around_the_object_is_fine()
    {
        var message = Accept("lightson/hp-nanshi/h0001/door/d1", " \r\n\t{ \"open\" : true }\n ");

        Assert.True(message.Point.State);
    }

    [Fact]
    public void A_payload_of_exactly_the_maximum_size_is_accepted()
    {
        string payload = Padded("{\"open\":true,\"pad\":\"", TelemetryDecoderOptions.DefaultMaxPayloadBytes);

        Accept("lightson/hp-nanshi/h0001/door/d1", payload);
    }

    [Theory]
    [InlineData(5 * 60 * 1000, false)]
    [InlineData(5 * 60 * 1000 + 1, true)]
    [InlineData(-24 * 3600 * 1000, false)]
    [InlineData(-24 * 3600 * 1000 - 1, true)]
    [InlineData(0, false)]
    public void Device_time_too_far_ahead_or_too_old_is_replaced_by_receive_time_and_flagged(long offsetMs, bool skewed)
    {
        long ts = ReceivedAtMs + offsetMs;
        var message = Accept("lightson/hp-nanshi/h0001/motion/m1", $$"""{"motion":true,"ts":{{ts}}}""");

        long expected = skewed ? ReceivedAtMs : ts;
        Assert.Equal(expected, message.Point.TimestampMs);
        Assert.Equal(TicksOf(expected), message.Event.Timestamp);
        Assert.Equal(skewed, (message.Point.Fields & PointFields.ClockSkewed) != 0);
        Assert.Equal(skewed ? null : ts, message.DeviceTimestampMs);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Absurd_device_times_are_flagged_not_refused(long ts)
    {
        var message = Accept("lightson/hp-nanshi/h0001/sos/b1", $$"""{"ts":{{ts}}}""");

        Assert.Equal(ReceivedAtMs, message.Point.TimestampMs);
        Assert.Equal(PointFields.ClockSkewed, message.Point.Fields);
        Assert.Null(message.DeviceTimestampMs);
    }

    [Fact]
    public void Skew_bounds_follow_the_options()
    {
        var decoder = new TelemetryDecoder(Devices, new TelemetryDecoderOptions { MaxClockAhead = TimeSpan.Zero, MaxAge = TimeSpan.FromMinutes(1) });
        long ts = ReceivedAtMs - 61_000;

        Assert.True(decoder.TryDecode("lightson/hp-nanshi/h0001/sos/b1", Bytes($$"""{"ts":{{ts}}}"""), ReceivedAtMs, out var old, out _));
        Assert.True(decoder.TryDecode("lightson/hp-nanshi/h0001/sos/b1", Bytes($$"""{"ts":{{ReceivedAtMs + 1}}}"""), ReceivedAtMs, out var ahead, out _));

        Assert.Equal(PointFields.ClockSkewed, old.Point.Fields);
        Assert.Equal(PointFields.ClockSkewed, ahead.Point.Fields);
    }

    [Fact]
    public void A_configured_root_of_two_levels_is_honoured()
    {
        var decoder = new TelemetryDecoder(Devices, new TelemetryDecoderOptions { Root = "district-7/lightson" });

        Assert.True(decoder.TryDecode("district-7/lightson/hp-nanshi/h0001/sos/b1", Bytes("{}"), ReceivedAtMs, out _, out _));
        Assert.False(decoder.TryDecode("lightson/hp-nanshi/h0001/sos/b1", Bytes("{}"), ReceivedAtMs, out _, out var rejection));
        Assert.Equal(RejectReason.BadTopic, rejection.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("$SYS")]
    [InlineData("a/+")]
    [InlineData("a/#")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("/a")]
    public void A_root_that_no_device_could_publish_under_is_refused(string root)
    {
        var error = Assert.Throws<ArgumentException>(() => new TelemetryDecoder(Devices, new TelemetryDecoderOptions { Root = root }));

        Assert.Equal("Root", error.ParamName);
    }

    [Theory]
    [InlineData("lightson/hp-nanshi/h0001/door/d1", """{"ts":1795417000000,"seq":17,"open":true,"fw":{"a":[1,2,3],"b":"xyz"}}""")]
    [InlineData("lightson/hp-nanshi/h0001/light/l1", """{"on":true,"\u006cux":1234.5678,"seq":123456789}""")]
    [InlineData("lightson/hp-nanshi/h0001/status/f1", """{"battery":55.25,"rssi":-80.5,"note":"a longer string value with \"escapes\" \u00e9"}""")]
    [InlineData("lightson/hp-nanshi/h0001/fall/f1", """{"confidence":0.875}""")]
    [InlineData("lightson/hp-nanshi/h0001/door/d1", """{"open":"yes"}""")]
    [InlineData("lightson/hp-nanshi/h0001/door/d1", """{"open":true,"ts":17954170000001}""")]
    [InlineData("lightson/hp-nanshi/h0001/door/d1", """{"open":true""")]
    [InlineData("lightson/hp-nanshi/h0001/door/d1", """{"open":true,"seq":-12345}""")]
    [InlineData("lightson/hp-nanshi/h0001/door/d1", """{"open":true,"seq":12.5}""")]
    [InlineData("lightson/hp-nanshi/h0001/door/d1", """{"open":true,"seq":99999999999999999999}""")]
    [InlineData("lightson/hp-nanshi/h0001/light/l1", """{"on":true,"lux":1e400}""")]
    [InlineData("lightson/hp-nanshi/h0001/light/l1", """{"on":true,"lux":-1.5E-3}""")]
    [InlineData("lightson/hp-nanshi/h0001/door/d1", """{"open":true,"ts":-1795417000000}""")]
    public void A_payload_split_over_segments_decodes_as_if_contiguous(string topic, string payload)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(payload);
        bool expectedAccepted = DefaultDecoder.TryDecode(topic, new(bytes), ReceivedAtMs, out var expected, out var expectedRejection);

        for (int segment = 1; segment <= bytes.Length; segment++)
        {
            var sequence = SegmentedSequence.Split(bytes, segment);
            bool accepted = DefaultDecoder.TryDecode(topic, sequence, ReceivedAtMs, out var actual, out var rejection);

            Assert.Equal(expectedAccepted, accepted);
            Assert.Equal(expected.Point, actual.Point);
            Assert.Equal(expected.Event, actual.Event);
            Assert.Equal(expected.Shard, actual.Shard);
            Assert.Equal(expectedRejection, rejection);
        }
    }

    [Fact]
    public void Many_threads_decoding_at_once_get_the_same_results_as_one()
    {
        (string Topic, string Payload)[] inputs =
        [
            ("lightson/hp-nanshi/h0001/door/d1", $$"""{"open":true,"ts":{{Ts}},"seq":1}"""),
            ("lightson/hp-nanshi/h0002/light/l1", """{"on":false,"lux":2}"""),
            ("lightson/hp-penglai/h0003/status/m7", """{"battery":40}"""),
            ("lightson/hp-penglai/h0004/door/d1", """{"open":1}"""),
            ("lightson/hp-nanshi/h0001/fall/f1", """{"confidence":0.3}"""),
        ];
        var expected = inputs.Select(i => (TryDecode(i.Topic, i.Payload, out var m, out var r), m.Point, m.Event, r)).ToArray();
        var payloads = inputs.Select(i => Bytes(i.Payload)).ToArray();
        int mismatches = 0;

        Parallel.For(0, 50_000, n =>
        {
            int k = n % inputs.Length;
            bool accepted = DefaultDecoder.TryDecode(inputs[k].Topic, payloads[k], ReceivedAtMs, out var message, out var rejection);
            if (accepted != expected[k].Item1 || !message.Point.Equals(expected[k].Point)
                || !message.Event.Equals(expected[k].Event) || rejection != expected[k].r)
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }

    private static HouseholdRoute RouteOf(string householdId)
    {
        Assert.True(Devices.TryGetHousehold(householdId, out var route));
        return route;
    }

    internal static string Padded(string head, int length)
    {
        // head + padding + "\"}" is exactly length bytes (head is ASCII).
        return head + new string('x', length - head.Length - 2) + "\"}";
    }
}
