using System.Buffers;
using System.Text.Json;
using LightsOn.Rules;

namespace LightsOn.Gateway.Ingest;

/// <summary>
/// Decodes one device message (topic and JSON payload, design.md "Topics") into the point to
/// store and the event for the rules engine, or says why it is refused. Pure and immutable:
/// any number of connection threads may call <see cref="TryDecode"/> at once. An accepted
/// message allocates nothing; a refused one may (its detail text).
/// </summary>
/// <remarks>
/// Checks run in the order of <see cref="RejectReason"/>, and the first failure is the one
/// reported: topic shape, kind, household, community, device, device kind, payload size,
/// then the payload. A known field that appears twice is refused as
/// <see cref="RejectReason.InvalidJson"/> rather than "last wins": two different readings in
/// one message are a device fault worth seeing in the dead letters, not something to guess
/// at. Duplicates of unknown fields are not tracked (they are skipped like any unknown field).
/// </remarks>
internal sealed partial class TelemetryDecoder
{
    private const int MaxIdLength = 64;

    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    // Comments and trailing commas are refused (the defaults); devices send plain JSON.
    // Depth is capped low: unknown nested values are skipped, never read.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    private readonly DeviceDirectory _directory;
    private readonly string _prefix;
    private readonly string _notUnderRoot;
    private readonly string _tooLarge;
    private readonly long _maxAheadMs;
    private readonly long _maxAgeMs;

    public TelemetryDecoder(DeviceDirectory directory, TelemetryDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        options ??= new TelemetryDecoderOptions();
        options.Validate();
        _directory = directory;
        Options = options;
        _prefix = options.Root + "/";
        _notUnderRoot = $"topic is not under '{options.Root}/'";
        _tooLarge = $"payload larger than {options.MaxPayloadBytes} bytes";
        _maxAheadMs = (long)options.MaxClockAhead.TotalMilliseconds;
        _maxAgeMs = (long)options.MaxAge.TotalMilliseconds;
    }

    public TelemetryDecoderOptions Options { get; }

    public DeviceDirectory Directory => _directory;

    /// <param name="topic">The MQTT topic as received.</param>
    /// <param name="payload">The payload; may span several segments.</param>
    /// <param name="receivedAtMs">Receive time on the gateway's clock, Unix epoch milliseconds.</param>
    /// <returns>True with <paramref name="message"/> set, or false with <paramref name="rejection"/> set.</returns>
    public bool TryDecode(ReadOnlySpan<char> topic, in ReadOnlySequence<byte> payload, long receivedAtMs,
        out DecodedMessage message, out Rejection rejection)
    {
        message = default;
        if (!TryParseTopic(topic, out var community, out var householdId, out var kind, out var deviceId, out rejection))
        {
            return false;
        }
        if (!_directory.TryGetHousehold(householdId, out var route))
        {
            rejection = new Rejection(RejectReason.UnknownHousehold, "household is not registered");
            return false;
        }
        var household = route.Household;
        if (!community.SequenceEqual(household.Community))
        {
            rejection = new Rejection(RejectReason.WrongCommunity, "household is registered under another community", household);
            return false;
        }
        int device = DeviceDirectory.IndexOfDevice(household, deviceId);
        if (device < 0)
        {
            rejection = new Rejection(RejectReason.UnknownDevice, "device is not registered in this household", household);
            return false;
        }
        if (kind != DeviceKind.Status && household.Devices[device].Kind != kind)
        {
            rejection = new Rejection(RejectReason.WrongKind, "device is registered with another kind", household, device);
            return false;
        }
        if (payload.Length > Options.MaxPayloadBytes)
        {
            rejection = new Rejection(RejectReason.TooLarge, _tooLarge, household, device);
            return false;
        }

        var reason = ReadPayload(payload, kind, out var fields, out string? detail);
        if (reason != RejectReason.None)
        {
            rejection = new Rejection(reason, detail!, household, device);
            return false;
        }

        var pointFields = fields.Present;
        long timestampMs = receivedAtMs;
        if (fields.HasTs)
        {
            // Compared without arithmetic on the device's value, so no ts can overflow here.
            if (fields.Ts > receivedAtMs + _maxAheadMs || fields.Ts < receivedAtMs - _maxAgeMs)
            {
                pointFields |= PointFields.ClockSkewed;
            }
            else
            {
                timestampMs = fields.Ts;
                pointFields |= PointFields.DeviceTime;
            }
        }

        var point = new TelemetryPoint
        {
            Household = household,
            Device = device,
            Kind = kind,
            TimestampMs = timestampMs,
            Fields = pointFields,
            State = fields.State,
            Lux = fields.Lux,
            Confidence = fields.Confidence,
            Battery = fields.Battery,
            Rssi = fields.Rssi,
            Seq = fields.Seq,
        };
        long ticks = DateTime.UnixEpoch.Ticks + timestampMs * TimeSpan.TicksPerMillisecond;
        int local = route.Slot.Index;
        var @event = kind switch
        {
            DeviceKind.Door => TelemetryEvent.Door(local, device, ticks, fields.State),
            DeviceKind.Light => TelemetryEvent.Light(local, device, ticks, fields.State),
            DeviceKind.Motion => TelemetryEvent.Motion(local, device, ticks, fields.State),
            DeviceKind.Fall => TelemetryEvent.Fall(local, device, ticks, fields.Confidence),
            DeviceKind.Sos => TelemetryEvent.Sos(local, device, ticks),
            _ => TelemetryEvent.Status(local, device, ticks, (pointFields & PointFields.Battery) != 0 ? fields.Battery : double.NaN),
        };
        message = new DecodedMessage(point, route.Slot.Shard, @event, _directory.GlobalDeviceIndex(route.RegistryIndex, device));
        rejection = default;
        return true;
    }

    private bool TryParseTopic(ReadOnlySpan<char> topic, out ReadOnlySpan<char> community, out ReadOnlySpan<char> household,
        out DeviceKind kind, out ReadOnlySpan<char> device, out Rejection rejection)
    {
        community = household = device = default;
        kind = default;
        if (!topic.StartsWith(_prefix, StringComparison.Ordinal))
        {
            rejection = new Rejection(RejectReason.BadTopic, _notUnderRoot);
            return false;
        }

        var rest = topic[_prefix.Length..];
        int first = rest.IndexOf('/');
        int second = first < 0 ? -1 : rest[(first + 1)..].IndexOf('/');
        int third = second < 0 ? -1 : rest[(first + second + 2)..].IndexOf('/');
        if (third < 0)
        {
            rejection = new Rejection(RejectReason.BadTopic, "too few topic levels: expected {community}/{household}/{kind}/{device} under the root");
            return false;
        }
        second += first + 1;
        third += second + 1;
        if (rest[(third + 1)..].Contains('/'))
        {
            rejection = new Rejection(RejectReason.BadTopic, "too many topic levels: expected {community}/{household}/{kind}/{device} under the root");
            return false;
        }
        community = rest[..first];
        household = rest[(first + 1)..second];
        var kindText = rest[(second + 1)..third];
        device = rest[(third + 1)..];
        if (!IsId(community) || !IsId(household) || !IsId(device) || kindText.IsEmpty)
        {
            rejection = new Rejection(RejectReason.BadTopic, "ids must be 1 to 64 characters of A-Z a-z 0-9 _ -");
            return false;
        }
        if (!TryParseKind(kindText, out kind))
        {
            rejection = new Rejection(RejectReason.UnknownKind, "kind is not door, light, motion, fall, sos or status");
            return false;
        }
        rejection = default;
        return true;
    }

    private static bool IsId(ReadOnlySpan<char> id) =>
        id.Length is > 0 and <= MaxIdLength && !id.ContainsAnyExcept(IdChars);

    private static bool TryParseKind(ReadOnlySpan<char> text, out DeviceKind kind)
    {
        switch (text)
        {
            case "door": kind = DeviceKind.Door; return true;
            case "light": kind = DeviceKind.Light; return true;
            case "motion": kind = DeviceKind.Motion; return true;
            case "fall": kind = DeviceKind.Fall; return true;
            case "sos": kind = DeviceKind.Sos; return true;
            case "status": kind = DeviceKind.Status; return true;
            default: kind = default; return false;
        }
    }
}
