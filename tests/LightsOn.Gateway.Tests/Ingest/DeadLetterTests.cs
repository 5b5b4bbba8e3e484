using System.Buffers;
using System.Text;
using System.Text.Json;
using LightsOn.Gateway.Ingest;

namespace LightsOn.Gateway.Tests.Ingest;

public sealed class DeadLetterTests
{
    private const string Topic = "lightson/hp-nanshi/h0001/light/l1";
    private static readonly Rejection WrongType = new(RejectReason.WrongType, "'on' must be true or false");

    // 2026-11-23T07:00:00.123Z
    private const long ReceivedAtMs = 1_795_417_200_123;

    [Fact]
    public void The_topic_is_the_root_then_dead_then_the_reason()
    {
        Assert.Equal("lightson/$dead/wrong-type", DeadLetter.TopicOf("lightson", RejectReason.WrongType));
        Assert.Equal("d7/lightson/$dead/bad-topic", DeadLetter.TopicOf("d7/lightson", RejectReason.BadTopic));
    }

    [Fact]
    public void A_text_payload_is_carried_as_a_json_string()
    {
        using var body = Parse(DeadLetter.Format(WrongType, Topic, ReceivedAtMs, Bytes("{\"on\":\"yes\",\"note\":\"灯\"}"), 4096));
        var root = body.RootElement;

        Assert.Equal("wrong-type", root.GetProperty("reason").GetString());
        Assert.Equal("'on' must be true or false", root.GetProperty("detail").GetString());
        Assert.Equal(Topic, root.GetProperty("topic").GetString());
        Assert.Equal("2026-11-23T07:00:00.123Z", root.GetProperty("receivedAt").GetString());
        Assert.Equal("{\"on\":\"yes\",\"note\":\"灯\"}", root.GetProperty("payload").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount("{\"on\":\"yes\",\"note\":\"灯\"}"), root.GetProperty("payloadBytes").GetInt64());
        Assert.False(root.TryGetProperty("payloadBase64", out _));
        Assert.False(root.TryGetProperty("truncated", out _));
    }

    [Fact]
    public void A_payload_that_is_not_utf8_is_carried_as_base64()
    {
        byte[] payload = [0x7B, 0xFF, 0xFE, 0x00, 0x7D];

        using var body = Parse(DeadLetter.Format(new Rejection(RejectReason.InvalidJson, "payload is not valid UTF-8"), Topic, ReceivedAtMs, new(payload), 4096));

        Assert.Equal(payload, body.RootElement.GetProperty("payloadBase64").GetBytesFromBase64());
        Assert.False(body.RootElement.TryGetProperty("payload", out _));
    }

    [Fact]
    public void A_large_payload_is_cut_to_the_maximum_and_marked()
    {
        string payload = new('x', 10_000);

        using var body = Parse(DeadLetter.Format(new Rejection(RejectReason.TooLarge, "payload larger than 4096 bytes"), Topic, ReceivedAtMs, Bytes(payload), 4096));

        Assert.Equal(new string('x', 4096), body.RootElement.GetProperty("payload").GetString());
        Assert.True(body.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(10_000, body.RootElement.GetProperty("payloadBytes").GetInt64());
    }

    [Fact]
    public void A_cut_through_a_multibyte_character_stays_text()
    {
        // 4095 ASCII bytes, then a 3-byte character: the cut at 4096 falls inside it.
        string payload = new string('x', 4095) + "灯灯";

        using var body = Parse(DeadLetter.Format(WrongType, Topic, ReceivedAtMs, Bytes(payload), 4096));

        Assert.Equal(new string('x', 4095), body.RootElement.GetProperty("payload").GetString());
        Assert.True(body.RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public void A_payload_in_several_segments_is_carried_whole()
    {
        string payload = "{\"on\":\"yes\",\"x\":\"灯灯灯\"}";

        using var body = Parse(DeadLetter.Format(WrongType, Topic, ReceivedAtMs, SegmentedSequence.Split(Encoding.UTF8.GetBytes(payload), 3), 4096));

        Assert.Equal(payload, body.RootElement.GetProperty("payload").GetString());
    }

    [Fact]
    public void Control_characters_and_quotes_in_payload_and_topic_are_escaped_into_valid_json()
    {
        string payload = "\"\\\u0000\u001f</script>";
        string topic = "lightson/\"x\"/\u0001";

        using var body = Parse(DeadLetter.Format(new Rejection(RejectReason.BadTopic, "x"), topic, ReceivedAtMs, Bytes(payload), 4096));

        Assert.Equal(payload, body.RootElement.GetProperty("payload").GetString());
        Assert.Equal(topic, body.RootElement.GetProperty("topic").GetString());
    }

    [Fact]
    public void An_empty_payload_is_an_empty_string()
    {
        using var body = Parse(DeadLetter.Format(new Rejection(RejectReason.InvalidJson, "empty payload"), Topic, ReceivedAtMs, ReadOnlySequence<byte>.Empty, 4096));

        Assert.Equal("", body.RootElement.GetProperty("payload").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("payloadBytes").GetInt64());
    }

    [Fact]
    public void The_body_carries_only_what_the_device_sent_and_the_decoder_said()
    {
        // A rejection that knows its household still writes nothing from the registry.
        IngestRegistry.TryDecode("lightson/hp-penglai/h0001/door/d1", "{\"open\":true}", out _, out var rejection);
        Assert.NotNull(rejection.Household);

        using var body = Parse(DeadLetter.Format(rejection, "lightson/hp-penglai/h0001/door/d1", ReceivedAtMs, Bytes("{\"open\":true}"), 4096));

        var names = body.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["reason", "detail", "topic", "receivedAt", "payloadBytes", "payload"], names);
        Assert.DoesNotContain("hp-nanshi", body.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private static JsonDocument Parse(byte[] body) => JsonDocument.Parse(body);
}
