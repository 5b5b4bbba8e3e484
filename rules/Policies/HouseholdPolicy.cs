namespace LightsOn.Rules;

/// <summary>
/// The thresholds in force for a household: its risk level's defaults with its own keys
/// applied. Immutable, and shared between households whose policies are equal, so a million
/// households cost a handful of these.
/// </summary>
public sealed class HouseholdPolicy
{
    private HouseholdPolicy(TimeZoneInfo timeZone, RiskLevel risk, PolicyOverrides o)
    {
        TimeZone = timeZone;
        Inactivity = TimeSpan.FromHours(o.InactivityHours ?? PolicyDefaults.InactivityHours(risk));
        EveningFrom = o.EveningFrom ?? PolicyDefaults.EveningFrom;
        LightsOnBy = o.LightsOnBy ?? PolicyDefaults.LightsOnBy;
        MorningFrom = o.MorningFrom ?? PolicyDefaults.MorningFrom;
        MorningBy = o.MorningBy ?? PolicyDefaults.MorningBy;
        NightFrom = o.NightFrom ?? PolicyDefaults.NightFrom;
        NightTo = o.NightTo ?? PolicyDefaults.NightTo;
        DoorOpen = TimeSpan.FromMinutes(o.DoorOpenMinutes ?? PolicyDefaults.DoorOpenMinutes);
        Heartbeat = TimeSpan.FromMinutes(o.HeartbeatMinutes ?? PolicyDefaults.HeartbeatMinutes);
        FallConfidence = o.FallConfidence ?? PolicyDefaults.FallConfidence;
        LowBatteryPercent = o.LowBatteryPercent ?? PolicyDefaults.LowBatteryPercent;
    }

    public TimeZoneInfo TimeZone { get; }
    public TimeSpan Inactivity { get; }
    public TimeOnly EveningFrom { get; }
    public TimeOnly LightsOnBy { get; }
    public TimeOnly MorningFrom { get; }
    public TimeOnly MorningBy { get; }
    public TimeOnly NightFrom { get; }
    public TimeOnly NightTo { get; }
    public TimeSpan DoorOpen { get; }
    public TimeSpan Heartbeat { get; }
    public double FallConfidence { get; }
    public double LowBatteryPercent { get; }

    public static HouseholdPolicy Resolve(RiskLevel risk, TimeZoneInfo timeZone, PolicyOverrides overrides) =>
        new(timeZone, risk, overrides);

    public DailyWindow EveningWindowEndingAfter(long utcTicks) =>
        ZonedTime.WindowEndingAfter(TimeZone, EveningFrom, LightsOnBy, utcTicks);

    public DailyWindow MorningWindowEndingAfter(long utcTicks) =>
        ZonedTime.WindowEndingAfter(TimeZone, MorningFrom, MorningBy, utcTicks);

    public DailyWindow NightWindowEndingAfter(long utcTicks) =>
        ZonedTime.WindowEndingAfter(TimeZone, NightFrom, NightTo, utcTicks);

    /// <summary>A key that is equal for equal policies, used to share instances.</summary>
    internal static string SharingKey(RiskLevel risk, TimeZoneInfo timeZone, PolicyOverrides overrides) =>
        $"{risk}|{timeZone.Id}|{overrides}";
}
