using System.Buffers;
using System.Buffers.Text;
using System.Text;
using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// Writes points as InfluxDB line protocol (one line, <c>\n</c>-terminated, time in ms) straight
/// into a buffer: no strings and no per-point allocation. The schema is design.md's Storage
/// section; docs/storage.md explains the typing and the escaping rules.
/// </summary>
/// <remarks>
/// Escaping follows the line protocol reference: measurement names escape comma and space; tag
/// keys, tag values and field keys escape comma, equals sign and space; string field values
/// escape double quote and backslash. Tags are written sorted by key (InfluxDB's own order).
/// </remarks>
internal static class LineProtocolEncoder
{
    public const string TelemetryMeasurement = "telemetry";
    public const string AlertMeasurement = "alert";

    // Room for the fixed parts of one point: keys, separators, numbers and the timestamp.
    private const int FixedBytes = 256;

    private static readonly SearchValues<char> TagSpecials = SearchValues.Create(",= \\\n\r");
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create("\"\\");

    /// <summary>Appends <paramref name="point"/> as one <c>telemetry</c> line.</summary>
    public static void WriteTelemetry(IBufferWriter<byte> output, in TelemetryPoint point)
    {
        var household = point.Household;
        string community = household.Community;
        string device = point.DeviceId;
        string householdId = household.Id;

        var span = output.GetSpan(FixedBytes + MaxEscapedBytes(community) + MaxEscapedBytes(device) + MaxEscapedBytes(householdId));
        var line = new LineWriter(span);
        line.Raw("telemetry,community="u8);
        line.Tag(community);
        line.Raw(",device="u8);
        line.Tag(device);
        line.Raw(",household="u8);
        line.Tag(householdId);
        line.Raw(",kind="u8);
        line.Raw(KindName(point.Kind));
        line.Raw((byte)' ');

        var fields = point.Fields;
        bool first = true;
        if ((fields & PointFields.State) != 0 && StateFieldName(point.Kind) is { IsEmpty: false } stateName)
        {
            line.Field(ref first, stateName);
            line.Bool(point.State);
        }
        if ((fields & PointFields.Lux) != 0 && double.IsFinite(point.Lux))
        {
            line.Field(ref first, "lux="u8);
            line.Float(point.Lux);
        }
        if (point.Kind == DeviceKind.Fall)
        {
            // design.md: confidence is optional and defaults to 1.
            line.Field(ref first, "confidence="u8);
            line.Float((fields & PointFields.Confidence) != 0 && double.IsFinite(point.Confidence) ? point.Confidence : 1.0);
        }
        else if ((fields & PointFields.Confidence) != 0 && double.IsFinite(point.Confidence))
        {
            line.Field(ref first, "confidence="u8);
            line.Float(point.Confidence);
        }
        if ((fields & PointFields.Battery) != 0 && double.IsFinite(point.Battery))
        {
            line.Field(ref first, "battery="u8);
            line.Float(point.Battery);
        }
        if ((fields & PointFields.Rssi) != 0 && double.IsFinite(point.Rssi))
        {
            line.Field(ref first, "rssi="u8);
            line.Float(point.Rssi);
        }
        if (point.Kind == DeviceKind.Sos)
        {
            line.Field(ref first, "pressed=true"u8);
        }
        if ((fields & PointFields.ClockSkewed) != 0)
        {
            line.Field(ref first, "clockSkew=true"u8);
        }
        if ((fields & PointFields.Seq) != 0)
        {
            line.Field(ref first, "seq="u8);
            line.Integer(point.Seq);
            line.Raw((byte)'i');
        }
        bool emptyStatus = point.Kind == DeviceKind.Status && (fields & (PointFields.Battery | PointFields.Rssi | PointFields.Seq)) == 0;
        if (emptyStatus || first)
        {
            // A point needs at least one field, and any message is a heartbeat of its device
            // (design.md, Topics).
            line.Field(ref first, "heartbeat=true"u8);
        }
        line.Raw((byte)' ');
        line.Integer(point.TimestampMs);
        line.Raw((byte)'\n');
        output.Advance(line.Written);
    }

    /// <summary>
    /// Appends one <c>alert</c> line for a change of <paramref name="alert"/>: state, level, who
    /// acted, outcome and note, at <see cref="AlertRecord.UpdatedAt"/> (its raise time if unset).
    /// </summary>
    public static void WriteAlert(IBufferWriter<byte> output, AlertRecord alert, string community, string household)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(community);
        ArgumentNullException.ThrowIfNull(household);

        string? by = alert.State switch
        {
            AlertState.Acknowledged => alert.AcknowledgedBy,
            AlertState.Resolved => alert.ResolvedBy,
            _ => null,
        };
        string? outcome = alert.Outcome?.ToWire();
        int size = FixedBytes + MaxEscapedBytes(community) + MaxEscapedBytes(household) + MaxEscapedBytes(alert.Id)
            + MaxEscapedBytes(by) + MaxEscapedBytes(outcome) + MaxEscapedBytes(alert.Note) + MaxEscapedBytes(alert.Device);
        var line = new LineWriter(output.GetSpan(size));
        line.Raw("alert,community="u8);
        line.Tag(community);
        line.Raw(",household="u8);
        line.Tag(household);
        line.Raw(",kind="u8);
        line.Tag(alert.Kind.ToWire());
        line.Raw(",severity="u8);
        line.Tag(alert.Severity.ToWire());
        line.Raw((byte)' ');

        bool first = true;
        line.Field(ref first, "id="u8);
        line.String(alert.Id);
        line.Field(ref first, "state="u8);
        line.String(alert.State.ToWire());
        line.Field(ref first, "level="u8);
        line.String(alert.Level.ToWire());
        if (by is not null)
        {
            line.Field(ref first, "by="u8);
            line.String(by);
        }
        if (outcome is not null)
        {
            line.Field(ref first, "outcome="u8);
            line.String(outcome);
        }
        if (alert.Note is not null)
        {
            line.Field(ref first, "note="u8);
            line.String(alert.Note);
        }
        // The device an alert is about (a door left open, an offline sensor): a restart needs it
        // to restore per-device alerts.
        if (alert.Device is not null)
        {
            line.Field(ref first, "device="u8);
            line.String(alert.Device);
        }
        line.Raw((byte)' ');
        line.Integer(TicksToUnixMs(alert.UpdatedAt != 0 ? alert.UpdatedAt : alert.RaisedAt));
        line.Raw((byte)'\n');
        output.Advance(line.Written);
    }

    public static long TicksToUnixMs(long utcTicks) => (utcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    // UTF-8 takes at most 3 bytes per UTF-16 unit, and an escaped character is 2 ASCII bytes.
    private static int MaxEscapedBytes(string? text) => text is null ? 0 : text.Length * 3;

    private static ReadOnlySpan<byte> KindName(DeviceKind kind) => kind switch
    {
        DeviceKind.Door => "door"u8,
        DeviceKind.Light => "light"u8,
        DeviceKind.Motion => "motion"u8,
        DeviceKind.Fall => "fall"u8,
        DeviceKind.Sos => "sos"u8,
        DeviceKind.Status => "status"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a device kind."),
    };

    private static ReadOnlySpan<byte> StateFieldName(DeviceKind kind) => kind switch
    {
        DeviceKind.Door => "open="u8,
        DeviceKind.Light => "on="u8,
        DeviceKind.Motion => "motion="u8,
        _ => default,
    };

    /// <summary>A cursor over a span sized for the whole line up front, so each piece is a plain copy.</summary>
    private ref struct LineWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;
        private int _position;

        public readonly int Written => _position;

        public void Raw(byte value) => _destination[_position++] = value;

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[_position..]);
            _position += bytes.Length;
        }

        public void Field(ref bool first, ReadOnlySpan<byte> keyAndEquals)
        {
            if (!first)
            {
                Raw((byte)',');
            }
            first = false;
            Raw(keyAndEquals);
        }

        public void Bool(bool value) => Raw(value ? "true"u8 : "false"u8);

        public void Integer(long value)
        {
            Utf8Formatter.TryFormat(value, _destination[_position..], out int written);
            _position += written;
        }

        /// <summary>
        /// Always with a decimal point or an exponent (<c>1</c> is written <c>1.0</c>), so every
        /// parser reads a float: a field's type must never change (design.md, Storage).
        /// </summary>
        public void Float(double value)
        {
            var target = _destination[_position..];
            value.TryFormat(target, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            if (target[..written].IndexOfAny((byte)'.', (byte)'E', (byte)'e') < 0)
            {
                target[written++] = (byte)'.';
                target[written++] = (byte)'0';
            }
            _position += written;
        }

        /// <summary>A tag key, tag value or field key: <c>,</c> <c>=</c> and space get a backslash.</summary>
        public void Tag(string text)
        {
            var rest = text.AsSpan();
            while (true)
            {
                int special = rest.IndexOfAny(TagSpecials);
                if (special < 0)
                {
                    Utf8(rest);
                    return;
                }
                Utf8(rest[..special]);
                char c = rest[special];
                rest = rest[(special + 1)..];
                switch (c)
                {
                    case '\\':
                        // InfluxDB reads a backslash as escaping the next character only when
                        // that is a separator; elsewhere it is kept literally (1.x always keeps
                        // it). Before a separator or at the end it would swallow the separator
                        // and the line would not parse, so it becomes a slash there.
                        bool beforeSeparator = rest.IsEmpty || rest[0] is ',' or '=' or ' ' or '\n' or '\r';
                        Raw(beforeSeparator ? (byte)'/' : (byte)'\\');
                        break;
                    case '\n' or '\r':
                        // No line protocol version accepts a line break in a tag.
                        Raw("\\ "u8);
                        break;
                    default:
                        Raw((byte)'\\');
                        Raw((byte)c);
                        break;
                }
            }
        }

        /// <summary>A string field value, quoted: <c>"</c> and <c>\</c> get a backslash.</summary>
        public void String(string text)
        {
            Raw((byte)'"');
            var rest = text.AsSpan();
            while (true)
            {
                int special = rest.IndexOfAny(StringSpecials);
                if (special < 0)
                {
                    Utf8(rest);
                    break;
                }
                Utf8(rest[..special]);
                Raw((byte)'\\');
                Raw((byte)rest[special]);
                rest = rest[(special + 1)..];
            }
            Raw((byte)'"');
        }

        private void Utf8(ReadOnlySpan<char> text)
        {
            _position += Encoding.UTF8.GetBytes(text, _destination[_position..]);
        }
    }
}
