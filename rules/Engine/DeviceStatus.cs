namespace LightsOn.Rules;

/// <summary>A device's health as the rules see it: when it was last heard, and its open device alerts.</summary>
public readonly record struct DeviceStatus(long LastSeen, bool Offline, bool LowBattery, bool On);
