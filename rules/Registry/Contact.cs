namespace LightsOn.Rules;

/// <summary>Who is called at an escalation level. Personal data: never logged, never in metrics.</summary>
public sealed record Contact(AlertLevel Level, string? Name, string? Phone);
