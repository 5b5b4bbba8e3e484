namespace LightsOn.DeviceSim.Scenarios;

/// <summary>The incidents and device faults a simulated household can be given.</summary>
internal enum ScenarioKind
{
    Sos,
    Fall,
    NoWakeUp,
    LightsNotOn,
    Wandering,
    DoorLeftOpen,
    DeviceOffline,
    LowBattery,
    Inactivity,
    Malformed,
    Duplicate,
    ClockSkew,
    Flood,
}
