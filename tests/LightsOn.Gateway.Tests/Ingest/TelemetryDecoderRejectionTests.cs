using System.Text;
using LightsOn.Gateway.Ingest;
using static LightsOn.Gateway.Tests.Ingest.IngestRegistry;

namespace LightsOn.Gateway.Tests.Ingest;

/// <summary>The corpus of bad inputs: each is refused with its exact reason, the first problem found.</summary>
public sealed class TelemetryDecoderRejectionTests
{
    private const string Door = "lightson/hp-nanshi/h0001/door/d1";
    private const string Light = "lightson/hp-nanshi/h0001/light/l1";
    private const string Fall = "lightson/hp-nanshi/h0001/fall/f1";
    private const string Status = "lightson/hp-nanshi/h0001/status/m1";
    private const string Good = """{"open":true}""";

    public static TheoryData<string, string> BadTopics => new()
    {
        { "other/hp-nanshi/h0001/door/d1", "foreign root" },
        { "lightson2/hp-nanshi/h0001/door/d1", "root as a prefix of the first level" },
        { "LightsOn/hp-nanshi/h0001/door/d1", "root in another case" },
        { "/lightson/hp-nanshi/h0001/door/d1", "leading slash" },
        { "lightson", "the root alone" },
        { "lightson/", "the root and a slash" },
        { "lightson/hp-nanshi/h0001/door", "too few levels" },
        { "lightson/hp-nanshi/h0001", "far too few levels" },
        { "lightson/hp-nanshi/h0001/door/d1/extra", "too many levels" },
        { "lightson/hp-nanshi/h0001/door/d1/", "trailing slash" },
        { "lightson/alerts/hp-nanshi/h0001", "the alerts topic" },
        { "lightson/$dead/invalid-json", "the dead-letter topic" },
        { "lightson//h0001/door/d1", "empty community" },
        { "lightson/hp-nanshi//door/d1", "empty household" },
        { "lightson/hp-nanshi/h0001//d1", "empty kind" },
        { "lightson/hp-nanshi/h0001/door/", "empty device" },
        { "lightson/hp nanshi/h0001/door/d1", "space in an id" },
        { "lightson/hp-nanshi/h.0001/door/d1", "dot in an id" },
        { "lightson/hp-nanshi/h0001/door/d+", "wildcard in an id" },
        { "lightson/hp-nanshi/h0001/door/d#", "wildcard in an id" },
        { "lightson/hp-nanshi/ĥ0001/door/d1", "non-ASCII in an id" },
        { "lightson/hp-nanshi/h0001/door/d\u0000", "NUL in an id" },
        { "lightson/hp-nanshi/" + new string('h', 65) + "/door/d1", "65-character id" },
    };

    [Theory]
    [MemberData(nameof(BadTopics))]
    public void Topics_of_the_wrong_shape_are_bad_topic(string topic, string why)
    {
        var rejection = Refuse(topic, Good);

        Assert.True(RejectReason.BadTopic == rejection.Reason, $"{why}: {rejection.Reason}");
        Assert.False(rejection.IsDeviceKnown);
    }

    [Fact]
    public void A_64_character_id_is_allowed()
    {
        var rejection = Refuse("lightson/hp-nanshi/" + new string('h', 64) + "/door/d1", Good);

        Assert.Equal(RejectReason.UnknownHousehold, rejection.Reason);
    }

    [Theory]
    [InlineData("lightson/hp-nanshi/h0001/window/d1")]
    [InlineData("lightson/hp-nanshi/h0001/Door/d1")]
    [InlineData("lightson/hp-nanshi/h0001/doors/d1")]
    [InlineData("lightson/hp-nanshi/h0001/heartbeat/d1")]
    [InlineData("lightson/hp-nanshi/h0001/do or/d1")]
    public void Kinds_outside_the_list_are_unknown_kind(string topic)
    {
        Assert.Equal(RejectReason.UnknownKind, Refuse(topic, Good).Reason);
    }

    [Theory]
    [InlineData("lightson/hp-nanshi/h9999/door/d1")]
    [InlineData("lightson/hp-nanshi/H0001/door/d1")]
    [InlineData("lightson/hp-nanshi/h00011/door/d1")]
    public void Households_not_in_the_registry_are_unknown_household(string topic)
    {
        var rejection = Refuse(topic, Good);

        Assert.Equal(RejectReason.UnknownHousehold, rejection.Reason);
        Assert.Null(rejection.Household);
    }

    [Theory]
    [InlineData("lightson/hp-penglai/h0001/door/d1")]
    [InlineData("lightson/nowhere/h0001/door/d1")]
    public void A_household_under_another_community_is_wrong_community(string topic)
    {
        var rejection = Refuse(topic, Good);

        Assert.Equal(RejectReason.WrongCommunity, rejection.Reason);
        Assert.DoesNotContain("hp-nanshi", rejection.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lightson/hp-nanshi/h0001/door/d9")]
    [InlineData("lightson/hp-penglai/h0003/motion/m1")]
    [InlineData("lightson/hp-nanshi/h0002/status/m1")]
    public void Devices_not_registered_in_the_household_are_unknown_device(string topic)
    {
        var rejection = Refuse(topic, Good);

        Assert.Equal(RejectReason.UnknownDevice, rejection.Reason);
        Assert.False(rejection.IsDeviceKnown);
    }

    [Theory]
    [InlineData("lightson/hp-nanshi/h0001/light/d1")]
    [InlineData("lightson/hp-nanshi/h0001/sos/f1")]
    [InlineData("lightson/hp-nanshi/h0001/door/b1")]
    [InlineData("lightson/hp-nanshi/h0001/motion/l1")]
    public void A_device_under_a_kind_not_its_own_is_wrong_kind(string topic)
    {
        var rejection = Refuse(topic, Good);

        Assert.Equal(RejectReason.WrongKind, rejection.Reason);
        Assert.True(rejection.IsDeviceKnown);
        Assert.DoesNotContain("door", rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_one_byte_over_the_maximum_is_too_large()
    {
        string payload = TelemetryDecoderTests.Padded("{\"open\":true,\"pad\":\"", TelemetryDecoderOptions.DefaultMaxPayloadBytes + 1);

        Assert.Equal(RejectReason.TooLarge, Refuse(Door, payload).Reason);
    }

    [Fact]
    public void A_huge_payload_is_too_large_without_being_read()
    {
        // Not JSON at all: the size alone decides.
        var payload = new string('[', 1_000_000);

        Assert.Equal(RejectReason.TooLarge, Refuse(Door, payload).Reason);
    }

    [Fact]
    public void The_size_limit_follows_the_options()
    {
        var decoder = new TelemetryDecoder(Devices, new TelemetryDecoderOptions { MaxPayloadBytes = 13 });

        Assert.True(decoder.TryDecode(Door, Bytes(Good), ReceivedAtMs, out _, out _));
        Assert.False(decoder.TryDecode(Door, Bytes(" " + Good), ReceivedAtMs, out _, out var rejection));
        Assert.Equal(RejectReason.TooLarge, rejection.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("{\"open\":tru}")]
    [InlineData("{\"open\":true,}")]
    [InlineData("{\"open\" true}")]
    [InlineData("{'open':true}")]
    [InlineData("{open:true}")]
    [InlineData("{\"open\":true}x")]
    [InlineData("{\"open\":true} {\"open\":false}")]
    [InlineData("{\"open\":true},")]
    [InlineData("/* door */ {\"open\":true}")]
    [InlineData("{\"open\":true // door\n}")]
    [InlineData("{\"open\":true,\"fw\":{\"v\":[1,2}}")]
    [InlineData("{\"open\":true,\"fw\":\"unterminated}")]
    [InlineData("{\"open\":True}")]
    [InlineData("{\"open\":true,\"n\":01}")]
    [InlineData("{\"open\":true,\"n\":NaN}")]
    [InlineData("{\"open\":true,\"s\":\"\\x\"}")]
    [InlineData("[1,2")]
    [InlineData("nul")]
    public void Broken_json_is_invalid_json(string payload)
    {
        Assert.Equal(RejectReason.InvalidJson, Refuse(Door, payload).Reason);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_invalid_json()
    {
        byte[] payload = [.. "{\"open\":true,\"note\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.False(DefaultDecoder.TryDecode(Door, new(payload), ReceivedAtMs, out _, out var rejection));
        Assert.Equal(RejectReason.InvalidJson, rejection.Reason);
    }

    [Fact]
    public void Nesting_deeper_than_32_levels_is_invalid_json()
    {
        // The payload object is level 1: 31 arrays inside it reach level 32.
        static string Nested(int arrays) => "{\"open\":true,\"x\":" + new string('[', arrays) + new string(']', arrays) + "}";

        Assert.True(TryDecode(Door, Nested(31), out _, out _));
        Assert.Equal(RejectReason.InvalidJson, Refuse(Door, Nested(32)).Reason);
    }

    [Theory]
    [InlineData("{\"open\":true,\"open\":false}", "open")]
    [InlineData("{\"open\":true,\"seq\":1,\"seq\":1}", "seq")]
    [InlineData("{\"ts\":1,\"open\":true,\"\\u0074s\":2}", "ts")]
    public void A_known_field_given_twice_is_invalid_json(string payload, string field)
    {
        var rejection = Refuse(Door, payload);

        Assert.Equal(RejectReason.InvalidJson, rejection.Reason);
        Assert.Contains($"'{field}'", rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_given_twice_is_skipped_like_any_unknown_field()
    {
        Assert.True(TryDecode(Door, "{\"fw\":1,\"open\":true,\"fw\":2}", out _, out _));
    }

    [Theory]
    [InlineData(Door, "[]")]
    [InlineData(Door, "[{\"open\":true}]")]
    [InlineData(Door, "42")]
    [InlineData(Door, "\"open\"")]
    [InlineData(Door, "null")]
    [InlineData(Door, "true")]
    [InlineData(Door, "{\"open\":\"true\"}")]
    [InlineData(Door, "{\"open\":1}")]
    [InlineData(Door, "{\"open\":null}")]
    [InlineData(Door, "{\"open\":{}}")]
    [InlineData(Light, "{\"on\":[true]}")]
    [InlineData(Light, "{\"on\":true,\"lux\":\"5\"}")]
    [InlineData(Light, "{\"on\":true,\"lux\":null}")]
    [InlineData(Fall, "{\"confidence\":\"high\"}")]
    [InlineData(Status, "{\"battery\":true}")]
    [InlineData(Status, "{\"rssi\":\"-70\"}")]
    [InlineData(Door, "{\"open\":true,\"ts\":\"1795417000000\"}")]
    [InlineData(Door, "{\"open\":true,\"ts\":1795417000000.5}")]
    [InlineData(Door, "{\"open\":true,\"ts\":1.795417e12}")]
    [InlineData(Door, "{\"open\":true,\"seq\":1.5}")]
    [InlineData(Door, "{\"open\":true,\"seq\":1.0}")]
    [InlineData(Door, "{\"open\":true,\"seq\":1e3}")]
    [InlineData(Door, "{\"open\":true,\"seq\":-0.5}")]
    [InlineData(Door, "{\"open\":true,\"seq\":\"1\"}")]
    [InlineData(Door, "{\"open\":true,\"seq\":true}")]
    public void A_value_of_the_wrong_json_type_is_wrong_type(string topic, string payload)
    {
        var rejection = Refuse(topic, payload);

        Assert.Equal(RejectReason.WrongType, rejection.Reason);
        Assert.Equal("h0001", rejection.Household?.Id);
    }

    [Theory]
    [InlineData(Door, "{}", "open")]
    [InlineData(Door, "{\"ts\":1795417000000,\"seq\":1}", "open")]
    [InlineData(Door, "{\"on\":true}", "open")]
    [InlineData(Door, "{\"fw\":{\"open\":true}}", "open")]
    [InlineData(Light, "{\"lux\":3}", "on")]
    [InlineData("lightson/hp-nanshi/h0001/motion/m1", "{\"seq\":1}", "motion")]
    public void A_required_field_that_is_absent_is_missing_field(string topic, string payload, string field)
    {
        var rejection = Refuse(topic, payload);

        Assert.Equal(RejectReason.MissingField, rejection.Reason);
        Assert.Contains($"'{field}'", rejection.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Door, "{\"open\":true,\"seq\":-1}")]
    [InlineData(Door, "{\"open\":true,\"seq\":99999999999999999999}")]
    [InlineData(Door, "{\"open\":true,\"seq\":-99999999999999999999}")]
    [InlineData(Door, "{\"open\":true,\"ts\":99999999999999999999}")]
    [InlineData(Light, "{\"on\":true,\"lux\":-0.5}")]
    [InlineData(Light, "{\"on\":true,\"lux\":-1e-300}")]
    [InlineData(Light, "{\"on\":true,\"lux\":1e400}")]
    [InlineData(Fall, "{\"confidence\":1.01}")]
    [InlineData(Fall, "{\"confidence\":-0.1}")]
    [InlineData(Status, "{\"battery\":100.5}")]
    [InlineData(Status, "{\"battery\":-1}")]
    [InlineData(Status, "{\"rssi\":-1e999}")]
    public void A_number_outside_its_range_is_out_of_range(string topic, string payload)
    {
        Assert.Equal(RejectReason.OutOfRange, Refuse(topic, payload).Reason);
    }

    [Fact]
    public void The_first_problem_found_is_the_one_reported()
    {
        // Unknown household beats the broken payload; the kind beats the household.
        Assert.Equal(RejectReason.UnknownHousehold, Refuse("lightson/hp-nanshi/h9999/door/d1", "{").Reason);
        Assert.Equal(RejectReason.UnknownKind, Refuse("lightson/hp-nanshi/h9999/window/d1", "{").Reason);
        // Wrong kind beats the size.
        Assert.Equal(RejectReason.WrongKind, Refuse("lightson/hp-nanshi/h0001/light/d1", new string('x', 5000)).Reason);
    }

    [Fact]
    public void Rejections_of_a_known_device_are_keyed_by_device_others_by_topic()
    {
        var payloadProblem = Refuse(Door, "{\"open\":1}");
        var wrongKind = Refuse("lightson/hp-nanshi/h0001/light/d1", Good);
        var unknownDevice = Refuse("lightson/hp-nanshi/h0001/door/d9", Good);

        Assert.Equal("h0001/d1", payloadProblem.LogKey(Door));
        Assert.Equal("h0001/d1", wrongKind.LogKey("lightson/hp-nanshi/h0001/light/d1"));
        Assert.Equal("lightson/hp-nanshi/h0001/door/d9", unknownDevice.LogKey("lightson/hp-nanshi/h0001/door/d9"));
    }

    [Fact]
    public void Every_reason_has_a_distinct_wire_name_that_parses_back()
    {
        var reasons = Enum.GetValues<RejectReason>().Where(r => r != RejectReason.None).ToList();
        var names = reasons.Select(r => r.ToWire()).ToList();

        Assert.Equal(
            ["bad-topic", "unknown-kind", "unknown-household", "wrong-community", "unknown-device", "wrong-kind",
             "too-large", "invalid-json", "wrong-type", "missing-field", "out-of-range", "rate-limited"],
            names);
        foreach (var reason in reasons)
        {
            Assert.True(RejectReasonNames.TryParse(reason.ToWire(), out var parsed));
            Assert.Equal(reason, parsed);
        }
        Assert.False(RejectReasonNames.TryParse("none", out _));
    }

    [Fact]
    public void Good_messages_around_bad_ones_are_unharmed()
    {
        string[] payloads = ["{\"open\":true,\"seq\":1}", "{", "{\"open\":1}", "{\"open\":false,\"seq\":2}", new string('x', 5000), "{\"open\":true,\"seq\":3}"];
        var accepted = new List<long>();
        foreach (string payload in payloads)
        {
            if (DefaultDecoder.TryDecode(Door, new(Encoding.UTF8.GetBytes(payload)), ReceivedAtMs, out var message, out _))
            {
                accepted.Add(message.Point.Seq);
            }
        }

        Assert.Equal([1L, 2, 3], accepted);
    }
}
