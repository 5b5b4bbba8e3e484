namespace LightsOn.Rules;

/// <summary>The thresholds design.md sets for a household that does not override them.</summary>
public static class PolicyDefaults
{
    public const string TimeZoneId = "Asia/Shanghai";
    public static readonly TimeOnly EveningFrom = new(16, 0);
    public static readonly TimeOnly LightsOnBy = new(20, 0);
    public static readonly TimeOnly MorningFrom = new(5, 0);
    public static readonly TimeOnly MorningBy = new(9, 30);
    public static readonly TimeOnly NightFrom = new(23, 0);
    public static readonly TimeOnly NightTo = new(5, 0);
    public const double DoorOpenMinutes = 30;
    public const double HeartbeatMinutes = 30;
    public const double FallConfidence = 0.6;
    public const double LowBatteryPercent = 15;

    /// <summary>
    /// Longer than a night's sleep at every level: a quiet night is the morning check's job,
    /// and an inactivity window shorter than sleep is what makes naive motion rules cry wolf.
    /// </summary>
    public static double InactivityHours(RiskLevel risk) => risk switch
    {
        RiskLevel.High => 12,
        RiskLevel.Medium => 16,
        _ => 24,
    };
}
