using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using LightsOn.Rules;

namespace LightsOn.Gateway.Ingest;

internal sealed partial class TelemetryDecoder
{
    // The longest known name, "confidence", is 10 characters; escaped as \uXXXX each it takes
    // 60 bytes. A raw name longer than that cannot be a known field, whatever its escapes.
    private const int MaxEscapedNameLength = 60;

    // Numbers longer than this that straddle segments go through the reader's own (allocating)
    // parse; no device sends them.
    private const int MaxNumberLength = 64;

    // A JSON integer beyond this magnitude does not fit a long.
    private const double LongMagnitude = 9.2e18;

    private static readonly string[] FieldNames = ["", "open", "on", "motion", "lux", "confidence", "battery", "rssi", "ts", "seq"];

    private enum Field : byte
    {
        Unknown,
        Open,
        On,
        Motion,
        Lux,
        Confidence,
        Battery,
        Rssi,
        Ts,
        Seq,
    }

    /// <summary>What a payload carried. A local accumulator of <see cref="ReadPayload"/>, never stored.</summary>
    private struct PayloadFields
    {
        public PointFields Present;
        public bool State;
        public double Lux;
        public double Confidence;
        public double Battery;
        public double Rssi;
        public long Seq;
        public long Ts;
        public bool HasTs;
    }

    private static RejectReason ReadPayload(in ReadOnlySequence<byte> payload, DeviceKind kind, out PayloadFields fields, out string? detail)
    {
        fields = default;
        detail = null;
        if (kind == DeviceKind.Fall)
        {
            // design.md: confidence is optional and means 1 when absent; the point stores the
            // value the rules acted on.
            fields.Confidence = 1.0;
            fields.Present = PointFields.Confidence;
        }
        if (payload.IsEmpty)
        {
            detail = "empty payload";
            return RejectReason.InvalidJson;
        }

        // RFC 8259 §8.1: JSON text is UTF-8. The reader checks only the strings it is asked
        // to decode, not the unknown ones it skips, so the whole payload is checked here.
        if (!IsValidUtf8(payload))
        {
            detail = "payload is not valid UTF-8";
            return RejectReason.InvalidJson;
        }

        // Over a span when the payload is contiguous (the usual case): the reader then never
        // tracks positions across segments, a third cheaper per message.
        var state = new JsonReaderState(ReaderOptions);
        var reader = payload.IsSingleSegment
            ? new Utf8JsonReader(payload.FirstSpan, isFinalBlock: true, state)
            : new Utf8JsonReader(payload, isFinalBlock: true, state);
        try
        {
            if (!reader.Read())
            {
                detail = "no JSON value in the payload";
                return RejectReason.InvalidJson;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                // Read the whole value first: broken JSON is reported as such, whatever its first token.
                reader.Skip();
                reader.Read();
                detail = "payload must be a JSON object";
                return RejectReason.WrongType;
            }

            int seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Classify(ref reader, kind);
                reader.Read();
                if (field == Field.Unknown)
                {
                    reader.Skip();
                    continue;
                }
                int bit = 1 << (int)field;
                if ((seen & bit) != 0)
                {
                    detail = $"field '{FieldNames[(int)field]}' appears twice";
                    return RejectReason.InvalidJson;
                }
                seen |= bit;
                var reason = ReadField(ref reader, field, ref fields, out detail);
                if (reason != RejectReason.None)
                {
                    return reason;
                }
            }
            // With AllowMultipleValues off (the default) this read throws on anything but
            // whitespace after the object, so "{...} {...}" is not half accepted.
            if (reader.Read())
            {
                detail = "content after the JSON object";
                return RejectReason.InvalidJson;
            }
        }
        catch (JsonException)
        {
            detail = "payload is not valid JSON";
            return RejectReason.InvalidJson;
        }

        var required = kind switch
        {
            DeviceKind.Door => Field.Open,
            DeviceKind.Light => Field.On,
            DeviceKind.Motion => Field.Motion,
            _ => Field.Unknown,
        };
        if (required != Field.Unknown && (fields.Present & PointFields.State) == 0)
        {
            detail = $"'{FieldNames[(int)required]}' is required for {kind.ToWire()}";
            return RejectReason.MissingField;
        }
        return RejectReason.None;
    }

    private static bool IsValidUtf8(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return Utf8.IsValid(payload.FirstSpan);
        }
        // A character may straddle segments: check a contiguous copy (payloads are small and
        // bounded by MaxPayloadBytes; the pooled array keeps this path allocation-free).
        int length = (int)payload.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(rented);
            return Utf8.IsValid(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static Field Classify(ref Utf8JsonReader reader, DeviceKind kind)
    {
        Span<byte> unescaped = stackalloc byte[MaxEscapedNameLength];
        scoped ReadOnlySpan<byte> name;
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            name = reader.ValueSpan;
        }
        else
        {
            long raw = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (raw > MaxEscapedNameLength)
            {
                return Field.Unknown;
            }
            name = unescaped[..reader.CopyString(unescaped)];
        }

        // A field that does not belong to the topic's kind is an unknown field: skipped.
        return name.Length switch
        {
            2 when name.SequenceEqual("ts"u8) => Field.Ts,
            2 when name.SequenceEqual("on"u8) => kind == DeviceKind.Light ? Field.On : Field.Unknown,
            3 when name.SequenceEqual("seq"u8) => Field.Seq,
            3 when name.SequenceEqual("lux"u8) => kind == DeviceKind.Light ? Field.Lux : Field.Unknown,
            4 when name.SequenceEqual("open"u8) => kind == DeviceKind.Door ? Field.Open : Field.Unknown,
            4 when name.SequenceEqual("rssi"u8) => kind == DeviceKind.Status ? Field.Rssi : Field.Unknown,
            6 when name.SequenceEqual("motion"u8) => kind == DeviceKind.Motion ? Field.Motion : Field.Unknown,
            7 when name.SequenceEqual("battery"u8) => kind == DeviceKind.Status ? Field.Battery : Field.Unknown,
            10 when name.SequenceEqual("confidence"u8) => kind == DeviceKind.Fall ? Field.Confidence : Field.Unknown,
            _ => Field.Unknown,
        };
    }

    private static RejectReason ReadField(ref Utf8JsonReader reader, Field field, ref PayloadFields fields, out string? detail)
    {
        detail = null;
        switch (field)
        {
            case Field.Open:
            case Field.On:
            case Field.Motion:
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    detail = $"'{FieldNames[(int)field]}' must be true or false";
                    return RejectReason.WrongType;
                }
                fields.State = reader.TokenType == JsonTokenType.True;
                fields.Present |= PointFields.State;
                return RejectReason.None;

            case Field.Ts:
            case Field.Seq:
                var integerReason = ReadInteger(ref reader, field, out long value, out detail);
                if (integerReason != RejectReason.None)
                {
                    return integerReason;
                }
                if (field == Field.Ts)
                {
                    fields.Ts = value;
                    fields.HasTs = true;
                    return RejectReason.None;
                }
                if (value < 0)
                {
                    detail = "'seq' must not be negative";
                    return RejectReason.OutOfRange;
                }
                fields.Seq = value;
                fields.Present |= PointFields.Seq;
                return RejectReason.None;

            default:
                var numberReason = ReadNumber(ref reader, field, out double number, out detail);
                if (numberReason != RejectReason.None)
                {
                    return numberReason;
                }
                return Store(field, number, ref fields, out detail);
        }
    }

    private static RejectReason Store(Field field, double number, ref PayloadFields fields, out string? detail)
    {
        detail = null;
        switch (field)
        {
            case Field.Lux when number >= 0:
                fields.Lux = number;
                fields.Present |= PointFields.Lux;
                return RejectReason.None;
            case Field.Confidence when number is >= 0 and <= 1:
                fields.Confidence = number;
                return RejectReason.None;
            case Field.Battery when number is >= 0 and <= 100:
                fields.Battery = number;
                fields.Present |= PointFields.Battery;
                return RejectReason.None;
            case Field.Rssi:
                fields.Rssi = number;
                fields.Present |= PointFields.Rssi;
                return RejectReason.None;
            default:
                detail = field switch
                {
                    Field.Lux => "'lux' must not be negative",
                    Field.Confidence => "'confidence' must be between 0 and 1",
                    _ => "'battery' must be between 0 and 100",
                };
                return RejectReason.OutOfRange;
        }
    }

    private static RejectReason ReadNumber(ref Utf8JsonReader reader, Field field, out double value, out string? detail)
    {
        detail = null;
        if (reader.TokenType != JsonTokenType.Number)
        {
            value = 0;
            detail = $"'{FieldNames[(int)field]}' must be a number";
            return RejectReason.WrongType;
        }
        if (!TryGetDouble(ref reader, out value) || !double.IsFinite(value))
        {
            detail = $"'{FieldNames[(int)field]}' is too large";
            return RejectReason.OutOfRange;
        }
        return RejectReason.None;
    }

    // Utf8JsonReader's TryGetDouble and TryGetInt64 copy a number that straddles segments into
    // a new array. Copied to the stack instead, then parsed with the same grammar: the reader
    // has already checked the token is a JSON number, which both parsers accept, and
    // AllowLeadingSign alone refuses a fraction or an exponent just as TryGetInt64 does.
    private static bool TryGetDouble(ref Utf8JsonReader reader, out double value)
    {
        if (!reader.HasValueSequence || reader.ValueSequence.Length > MaxNumberLength)
        {
            return reader.TryGetDouble(out value);
        }
        Span<byte> buffer = stackalloc byte[MaxNumberLength];
        var number = buffer[..(int)reader.ValueSequence.Length];
        reader.ValueSequence.CopyTo(number);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryGetInt64(ref Utf8JsonReader reader, out long value)
    {
        if (!reader.HasValueSequence || reader.ValueSequence.Length > MaxNumberLength)
        {
            return reader.TryGetInt64(out value);
        }
        Span<byte> buffer = stackalloc byte[MaxNumberLength];
        var number = buffer[..(int)reader.ValueSequence.Length];
        reader.ValueSequence.CopyTo(number);
        return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// An integer is a JSON number written without fraction or exponent that fits a long:
    /// <c>17</c>, not <c>17.0</c> or <c>1.7e1</c>.
    /// </summary>
    private static RejectReason ReadInteger(ref Utf8JsonReader reader, Field field, out long value, out string? detail)
    {
        detail = null;
        if (reader.TokenType == JsonTokenType.Number && TryGetInt64(ref reader, out value))
        {
            return RejectReason.None;
        }
        value = 0;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double number)
            && Math.Abs(number) >= LongMagnitude && IsIntegerLiteral(ref reader))
        {
            detail = $"'{FieldNames[(int)field]}' is too large";
            return RejectReason.OutOfRange;
        }
        detail = $"'{FieldNames[(int)field]}' must be an integer";
        return RejectReason.WrongType;
    }

    private static bool IsIntegerLiteral(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> fractionOrExponent = ".eE"u8;
        return reader.HasValueSequence
            ? reader.ValueSequence.ToArray().AsSpan().IndexOfAny(fractionOrExponent) < 0
            : reader.ValueSpan.IndexOfAny(fractionOrExponent) < 0;
    }
}
