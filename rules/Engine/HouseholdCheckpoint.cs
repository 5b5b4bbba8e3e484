namespace LightsOn.Rules;

/// <summary>
/// What is known of a household at <see cref="KnownUntil"/>, handed to a shard on restart
/// (rebuilt from storage by the gateway). Deadlines that fell due after
/// <see cref="KnownUntil"/> fire on the shard's first <see cref="RulesEngine.Advance()"/>: the
/// gateway being down makes no alert go missing. Times are UTC ticks, 0 for "never".
/// </summary>
public sealed record HouseholdCheckpoint
{
    /// <summary>Every deadline at or before this instant has been evaluated.</summary>
    public required long KnownUntil { get; init; }
    public long LastActivity { get; init; }
    public long LastLightEvent { get; init; }

    /// <summary>0 when at home, <see cref="long.MaxValue"/> when away with no return date.</summary>
    public long AwayUntil { get; init; }
    public IReadOnlyList<DeviceCheckpoint> Devices { get; init; } = [];

    /// <summary>Alerts not yet resolved.</summary>
    public IReadOnlyList<AlertRecord> OpenAlerts { get; init; } = [];
}
