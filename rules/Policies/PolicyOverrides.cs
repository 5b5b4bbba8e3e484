namespace LightsOn.Rules;

/// <summary>
/// The policy keys a household sets for itself (一人一策). A null key takes the default of the
/// household's risk level.
/// </summary>
public sealed record PolicyOverrides
{
    public static readonly PolicyOverrides None = new();

    public double? InactivityHours { get; init; }
    public TimeOnly? EveningFrom { get; init; }
    public TimeOnly? LightsOnBy { get; init; }
    public TimeOnly? MorningFrom { get; init; }
    public TimeOnly? MorningBy { get; init; }
    public TimeOnly? NightFrom { get; init; }
    public TimeOnly? NightTo { get; init; }
    public double? DoorOpenMinutes { get; init; }
    public double? HeartbeatMinutes { get; init; }
    public double? FallConfidence { get; init; }
    public double? LowBatteryPercent { get; init; }
}
