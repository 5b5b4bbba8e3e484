namespace LightsOn.Rules;

/// <summary>A device's last known state; see <see cref="HouseholdCheckpoint"/>. Times are UTC ticks, 0 for "never".</summary>
public sealed record DeviceCheckpoint
{
    public required string Id { get; init; }
    public long LastSeen { get; init; }

    /// <summary>A door: when it opened, if it is open. A light: when it was switched on, if it is on.</summary>
    public long OnSince { get; init; }
    public long LastLowBatteryAlert { get; init; }
}
