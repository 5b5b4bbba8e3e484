namespace LightsOn.Gateway.History;

/// <summary>
/// One stored change of an alert (an <c>alert</c> point): the household timeline shows these as
/// they are; the reports fold each alert's points into its story.
/// </summary>
/// <param name="State"><c>open</c> (raised, or escalated), <c>acknowledged</c> or <c>resolved</c>.</param>
/// <param name="By">Who acknowledged or resolved, on those changes.</param>
internal sealed record AlertPoint(
    DateTime Time,
    string Id,
    string? Household,
    string? Community,
    string? Kind,
    string? Severity,
    string? State,
    string? Level,
    string? By,
    string? Outcome,
    string? Note,
    string? Device);
