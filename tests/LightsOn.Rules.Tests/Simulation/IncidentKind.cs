namespace LightsOn.Rules.Tests.Simulation;

internal enum IncidentKind : byte
{
    SosPress,
    Fall,

    /// <summary>A fall detector firing below the household's confidence threshold: no alert.</summary>
    WeakFall,

    /// <summary>Asleep through the whole morning window, up only after the deadline.</summary>
    NoWakeUp,

    /// <summary>Up and about all evening, but no light switched on.</summary>
    LightsNotOn,

    /// <summary>The door opens in the night window.</summary>
    NightDoor,
    DoorLeftOpen45Minutes,
    DeviceSilent2Hours,
    BatteryDropsTo10Percent,

    /// <summary>A light left on, then nothing at all for longer than the inactivity window.</summary>
    LongInactivity,
}
