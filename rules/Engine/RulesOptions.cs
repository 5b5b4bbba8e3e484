namespace LightsOn.Rules;

public sealed record RulesOptions
{
    public static readonly RulesOptions Default = new();

    /// <summary>Distinguishes this shard's alert ids from other shards'.</summary>
    public int ShardId { get; init; }

    public EscalationPolicy Escalation { get; init; } = EscalationPolicy.Default;

    /// <summary>A low-battery alert is raised at most once per device in this period.</summary>
    public TimeSpan LowBatteryRepeat { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// An open low-battery alert resolves itself once the battery reads this many points above
    /// the threshold (a replaced battery), so a reading hovering at the threshold cannot flap.
    /// </summary>
    public double LowBatteryHysteresis { get; init; } = 5;

    /// <summary>Who the shard names as the actor of changes it makes itself.</summary>
    public string SystemActor { get; init; } = "system";
}
