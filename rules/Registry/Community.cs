namespace LightsOn.Rules;

public sealed record Community(string Id, string? Name);
