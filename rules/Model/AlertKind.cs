namespace LightsOn.Rules;

public enum AlertKind : byte
{
    Sos,
    Fall,
    Inactivity,
    LightsNotOn,
    NoMorningActivity,
    NightDoor,
    DoorLeftOpen,
    DeviceOffline,
    LowBattery,
}
