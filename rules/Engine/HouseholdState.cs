namespace LightsOn.Rules;

/// <summary>
/// A household's rule state. A mutable struct on purpose: the shard keeps one per household
/// in a flat array and works on it by <c>ref</c>, so a million households are one allocation
/// and the per-event path touches one cache line or two instead of chasing objects.
/// </summary>
internal struct HouseholdState
{
    /// <summary>The latest activity (door, light, motion) seen, by event time.</summary>
    public long LastActivity;

    /// <summary>Inactivity counts from here: the last activity, a return from away, or an operator closing an inactivity alert.</summary>
    public long InactivitySince;
    public long LastLightEvent;

    /// <summary>0 when at home; <see cref="long.MaxValue"/> when away indefinitely.</summary>
    public long AwayUntil;

    /// <summary>The 亮灯 window whose deadline is evaluated next.</summary>
    public DailyWindow Evening;

    /// <summary>The 窗帘之约 window whose deadline is evaluated next.</summary>
    public DailyWindow Morning;

    /// <summary>A cache: the night window that ends first after any instant in <c>[NightValidFrom, Night.End)</c>.</summary>
    public DailyWindow Night;
    public long NightValidFrom;

    public int FirstDevice;
    public byte DeviceCount;
    public HouseholdFeatures Features;

    /// <summary>One bit per <see cref="AlertKind"/> with an open household-wide alert.</summary>
    public ushort OpenKinds;

    /// <summary>Head of the household's open alerts, linked through <see cref="Alert.NextInHousehold"/>.</summary>
    public Alert? OpenAlerts;

    public readonly bool IsAway => AwayUntil != 0;
}

[Flags]
internal enum HouseholdFeatures : byte
{
    None = 0,

    /// <summary>Has a door, light or motion device, so activity rules can apply.</summary>
    ActivitySensors = 1,
    Light = 2,
    WanderingRisk = 4,
}
