namespace LightsOn.Rules.Tests.Simulation;

/// <summary>What the simulation's observer keeps of one alert change (the engine's <see cref="Alert"/> is mutable).</summary>
internal sealed record AlertChangeRecord(
    AlertChange Change,
    string AlertId,
    int Household,
    AlertKind Kind,
    long RaisedAt,
    long At,
    AlertOutcome? Outcome,
    string? ResolvedBy,
    string Reason);
