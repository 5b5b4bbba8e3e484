using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace LightsOn.Gateway.Ingest;

/// <summary>
/// The message republished for a refused device message, on <c>{root}/$dead/{reason}</c>:
/// <code>
/// {"reason":"wrong-type","detail":"'on' must be true or false","topic":"lightson/hp-nanshi/h0001/light/l1",
///  "receivedAt":"2026-11-23T07:00:00.123Z","payloadBytes":12,"payload":"{\"on\":\"yes\"}"}
/// </code>
/// The payload goes in as a JSON string when it is valid UTF-8, else as <c>payloadBase64</c>;
/// beyond the size limit it is cut (at a character boundary for text) and
/// <c>"truncated":true</c> is added. <c>payloadBytes</c> is always the original size. Only what
/// the device sent and what the decoder said: nothing from the registry.
/// </summary>
internal static class DeadLetter
{
    public const string TopicLevel = "$dead";

    // Text stays readable for operators (non-ASCII is written as is); the body is MQTT, never
    // embedded in HTML, which is all the "unsafe" in the name is about.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string TopicOf(string root, RejectReason reason) =>
        string.Concat(root, "/", TopicLevel, "/", reason.ToWire());

    public static byte[] Format(in Rejection rejection, string topic, long receivedAtMs, in ReadOnlySequence<byte> payload, int maxPayloadBytes)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (int)Math.Min(payload.Length, maxPayloadBytes) * 2);
        Write(buffer, rejection, topic, receivedAtMs, payload, maxPayloadBytes);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, in Rejection rejection, string topic, long receivedAtMs,
        in ReadOnlySequence<byte> payload, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 0);

        int kept = (int)Math.Min(payload.Length, maxPayloadBytes);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(kept, 1));
        try
        {
            var bytes = rented.AsSpan(0, kept);
            payload.Slice(0, kept).CopyTo(bytes);
            bool truncated = kept < payload.Length;
            int textLength = truncated ? ValidPrefixAfterCut(bytes) : (Utf8.IsValid(bytes) ? kept : -1);

            using var writer = new Utf8JsonWriter(output, WriterOptions);
            writer.WriteStartObject();
            writer.WriteString("reason"u8, rejection.Reason.ToWire());
            writer.WriteString("detail"u8, rejection.Detail);
            // Through UTF-8 bytes: a lone surrogate in the topic becomes U+FFFD instead of
            // making the writer throw.
            writer.WriteString("topic"u8, System.Text.Encoding.UTF8.GetBytes(topic));
            writer.WriteString("receivedAt"u8, FormatUtc(receivedAtMs));
            writer.WriteNumber("payloadBytes"u8, payload.Length);
            if (textLength >= 0)
            {
                writer.WriteString("payload"u8, bytes[..textLength]);
            }
            else
            {
                writer.WriteBase64String("payloadBase64"u8, bytes);
            }
            if (truncated)
            {
                writer.WriteBoolean("truncated"u8, true);
            }
            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>ISO 8601 UTC with milliseconds, as alert events write times (design.md).</summary>
    public static string FormatUtc(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // The cut may fall inside a multi-byte character: back off up to three bytes before
    // deciding the payload is not text.
    private static int ValidPrefixAfterCut(ReadOnlySpan<byte> bytes)
    {
        for (int back = 0; back <= 3 && back <= bytes.Length; back++)
        {
            if (Utf8.IsValid(bytes[..^back]))
            {
                return bytes.Length - back;
            }
        }
        return -1;
    }
}
