namespace LightsOn.Rules;

/// <summary>A person living in a household. Personal data: never logged, never in metrics.</summary>
public sealed record Resident(string Id, int? Age);
