using System.Globalization;
using System.Text.Json;

namespace LightsOn.Rules.Tests.Simulation;

/// <summary>
/// A household's policy as the simulation knows it: the keys it writes into the registry
/// (一人一策) and, independently of the rules library, the thresholds design.md gives a
/// household of that risk level when a key is missing.
/// </summary>
internal sealed record SimPolicy(RiskLevel Risk)
{
    public double? InactivityHoursKey { get; init; }
    public TimeSpan? EveningFromKey { get; init; }
    public TimeSpan? LightsOnByKey { get; init; }
    public TimeSpan? MorningFromKey { get; init; }
    public TimeSpan? MorningByKey { get; init; }
    public TimeSpan? NightFromKey { get; init; }
    public TimeSpan? NightToKey { get; init; }
    public double? DoorOpenMinutesKey { get; init; }
    public double? HeartbeatMinutesKey { get; init; }
    public double? FallConfidenceKey { get; init; }
    public double? LowBatteryPercentKey { get; init; }

    public TimeSpan Inactivity => TimeSpan.FromHours(InactivityHoursKey ?? Risk switch
    {
        RiskLevel.High => 12,
        RiskLevel.Medium => 16,
        _ => 24,
    });

    public TimeSpan EveningFrom => EveningFromKey ?? new TimeSpan(16, 0, 0);
    public TimeSpan LightsOnBy => LightsOnByKey ?? new TimeSpan(20, 0, 0);
    public TimeSpan MorningFrom => MorningFromKey ?? new TimeSpan(5, 0, 0);
    public TimeSpan MorningBy => MorningByKey ?? new TimeSpan(9, 30, 0);
    public TimeSpan NightFrom => NightFromKey ?? new TimeSpan(23, 0, 0);
    public TimeSpan NightTo => NightToKey ?? new TimeSpan(5, 0, 0);
    public TimeSpan DoorOpen => TimeSpan.FromMinutes(DoorOpenMinutesKey ?? 30);
    public TimeSpan Heartbeat => TimeSpan.FromMinutes(HeartbeatMinutesKey ?? 30);
    public double FallConfidence => FallConfidenceKey ?? 0.6;
    public double LowBatteryPercent => LowBatteryPercentKey ?? 15;

    public bool HasKeys =>
        InactivityHoursKey is not null || EveningFromKey is not null || LightsOnByKey is not null
        || MorningFromKey is not null || MorningByKey is not null || NightFromKey is not null || NightToKey is not null
        || DoorOpenMinutesKey is not null || HeartbeatMinutesKey is not null || FallConfidenceKey is not null
        || LowBatteryPercentKey is not null;

    public void WriteKeys(Utf8JsonWriter json)
    {
        json.WriteStartObject("policy");
        Number(json, "inactivityHours", InactivityHoursKey);
        Time(json, "eveningFrom", EveningFromKey);
        Time(json, "lightsOnBy", LightsOnByKey);
        Time(json, "morningFrom", MorningFromKey);
        Time(json, "morningBy", MorningByKey);
        Time(json, "nightFrom", NightFromKey);
        Time(json, "nightTo", NightToKey);
        Number(json, "doorOpenMinutes", DoorOpenMinutesKey);
        Number(json, "heartbeatMinutes", HeartbeatMinutesKey);
        Number(json, "fallConfidence", FallConfidenceKey);
        Number(json, "lowBatteryPercent", LowBatteryPercentKey);
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string key, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(key, v);
        }
    }

    private static void Time(Utf8JsonWriter json, string key, TimeSpan? value)
    {
        if (value is { } v)
        {
            json.WriteString(key, v.ToString(@"hh\:mm", CultureInfo.InvariantCulture));
        }
    }
}
