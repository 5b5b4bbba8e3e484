namespace LightsOn.Rules;

/// <summary>
/// How long an alert may stay unacknowledged at one level before it goes to the next
/// (family -> grid -> emergency). A null timeout never escalates.
/// </summary>
public sealed record EscalationPolicy
{
    public static readonly EscalationPolicy Default = new();

    public TimeSpan? Critical { get; init; } = TimeSpan.FromMinutes(3);
    public TimeSpan? High { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan? Medium { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan? Low { get; init; }

    public TimeSpan? TimeoutFor(Severity severity) => severity switch
    {
        Severity.Critical => Critical,
        Severity.High => High,
        Severity.Medium => Medium,
        _ => Low,
    };

    /// <summary>Critical alerts go straight to the grid worker (family is told too); the rest start with family.</summary>
    public static AlertLevel StartLevel(Severity severity) =>
        severity == Severity.Critical ? AlertLevel.Grid : AlertLevel.Family;
}
