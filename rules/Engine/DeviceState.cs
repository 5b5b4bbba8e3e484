namespace LightsOn.Rules;

/// <summary>A device's rule state; a mutable struct in the shard's flat array for the same reason as <see cref="HouseholdState"/>.</summary>
internal struct DeviceState
{
    /// <summary>The latest message from the device, by event time.</summary>
    public long LastSeen;

    /// <summary>The device-offline timeout counts from here: the last message, or an operator closing an offline alert.</summary>
    public long HeardAt;

    /// <summary>
    /// A door: when it opened, or when an operator closed its door-left-open alert while it stayed
    /// open (the timeout counts from here); 0 while closed. A light: when it was switched on, 0 while off.
    /// </summary>
    public long OnSince;
    public long LastLowBatteryAlert;
    public DeviceKind Kind;

    /// <summary>Open per-device alerts: bit 0 device-offline, bit 1 low-battery.</summary>
    public byte OpenKinds;

    public const byte OfflineBit = 1;
    public const byte LowBatteryBit = 2;
}
