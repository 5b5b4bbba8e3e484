namespace LightsOn.Rules;

/// <summary>
/// An alert as plain data: what an observer keeps, and what a restart hands back to a shard
/// (see <see cref="HouseholdCheckpoint"/>). Times are UTC ticks, 0 when not set.
/// </summary>
public sealed record AlertRecord
{
    public required string Id { get; init; }
    public required string Household { get; init; }
    public required AlertKind Kind { get; init; }
    public required Severity Severity { get; init; }
    public required AlertState State { get; init; }
    public required AlertLevel Level { get; init; }
    public required long RaisedAt { get; init; }
    public long UpdatedAt { get; init; }

    /// <summary>When the alert reached <see cref="Level"/>; 0 means <see cref="RaisedAt"/>.</summary>
    public long LevelSince { get; init; }
    public string? Device { get; init; }
    public string Reason { get; init; } = "";
    public int Count { get; init; } = 1;
    public string? AcknowledgedBy { get; init; }
    public long AcknowledgedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public long ResolvedAt { get; init; }
    public AlertOutcome? Outcome { get; init; }
    public string? Note { get; init; }
}
