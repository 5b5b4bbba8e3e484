using LightsOn.Gateway.Ingest;
using LightsOn.Rules;

namespace LightsOn.Gateway.Tests.Storage;

/// <summary>Households and points for the storage tests, built directly (ids the registry would refuse included).</summary>
internal static class StoragePoints
{
    /// <summary>2026-11-23 19:00:00 Asia/Shanghai, in Unix ms.</summary>
    public const long T0 = 1_763_895_600_000;

    public static Household Household(string id = "h0001", string community = "hp-nanshi") => new()
    {
        Id = id,
        Community = community,
        Grid = "g01",
        Risk = RiskLevel.Medium,
        Flags = [],
        Residents = [],
        Contacts = [],
        Devices = [new("d1", DeviceKind.Door), new("l1", DeviceKind.Light), new("m1", DeviceKind.Motion), new("f1", DeviceKind.Fall), new("b1", DeviceKind.Sos)],
        Overrides = PolicyOverrides.None,
        Policy = HouseholdPolicy.Resolve(RiskLevel.Medium, TimeZoneInfo.Utc, PolicyOverrides.None),
    };

    public static TelemetryPoint Door(Household h, long ts, bool open, long? seq = null) =>
        Point(h, 0, DeviceKind.Door, ts, PointFields.State, seq) with { State = open };

    public static TelemetryPoint Light(Household h, long ts, bool on, double? lux = null, long? seq = null) =>
        Point(h, 1, DeviceKind.Light, ts, PointFields.State | (lux is null ? 0 : PointFields.Lux), seq) with { State = on, Lux = lux ?? 0 };

    public static TelemetryPoint Motion(Household h, long ts, long? seq = null) =>
        Point(h, 2, DeviceKind.Motion, ts, PointFields.State, seq) with { State = true };

    public static TelemetryPoint Fall(Household h, long ts, double? confidence, long? seq = null) =>
        Point(h, 3, DeviceKind.Fall, ts, confidence is null ? 0 : PointFields.Confidence, seq) with { Confidence = confidence ?? 0 };

    public static TelemetryPoint Sos(Household h, long ts, long? seq = null) => Point(h, 4, DeviceKind.Sos, ts, 0, seq);

    public static TelemetryPoint Status(Household h, int device, long ts, double? battery = null, double? rssi = null, long? seq = null, bool clockSkewed = false) =>
        Point(h, device, DeviceKind.Status, ts,
            (battery is null ? 0 : PointFields.Battery) | (rssi is null ? 0 : PointFields.Rssi) | (clockSkewed ? PointFields.ClockSkewed : 0), seq)
        with { Battery = battery ?? 0, Rssi = rssi ?? 0 };

    private static TelemetryPoint Point(Household h, int device, DeviceKind kind, long ts, PointFields fields, long? seq) => new()
    {
        Household = h,
        Device = device,
        Kind = kind,
        TimestampMs = ts,
        Fields = fields | (seq is null ? 0 : PointFields.Seq),
        Seq = seq ?? 0,
    };

    public static long MsToTicks(long ms) => DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond;

    public static AlertRecord Alert(string id, AlertState state, long updatedMs, string? by = null, AlertOutcome? outcome = null, string? note = null) => new()
    {
        Id = id,
        Household = "h0001",
        Kind = AlertKind.LightsNotOn,
        Severity = Severity.High,
        State = state,
        Level = AlertLevel.Grid,
        RaisedAt = MsToTicks(updatedMs - 60_000),
        UpdatedAt = MsToTicks(updatedMs),
        AcknowledgedBy = state is AlertState.Acknowledged or AlertState.Resolved ? by : null,
        ResolvedBy = state == AlertState.Resolved ? by : null,
        Outcome = outcome,
        Note = note,
    };
}
