namespace LightsOn.Rules.Tests.Simulation;

/// <summary>
/// Something injected into the otherwise normal week of one household, with the alerts it must
/// raise: each of <see cref="Expected"/> exactly once, at exactly <see cref="AlertDueAt"/>.
/// An empty <see cref="Expected"/> is a control: the incident must raise nothing.
/// </summary>
/// <param name="At">UTC ticks when the incident starts.</param>
/// <param name="AlertDueAt">UTC ticks at which the rules say the alert is due (the engine is advanced to that instant).</param>
/// <param name="ResolvesItself">The alert closes itself during the week (activity, door closed, device heard, battery replaced).</param>
/// <param name="Repeats">The condition happens again while the alert is open: one alert, one <see cref="AlertChange.Repeated"/>.</param>
internal sealed record Incident(
    int Household,
    string HouseholdId,
    IncidentKind Kind,
    long At,
    IReadOnlyList<AlertKind> Expected,
    long AlertDueAt,
    bool ResolvesItself,
    string Description,
    bool Repeats = false);
