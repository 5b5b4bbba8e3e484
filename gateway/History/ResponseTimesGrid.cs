namespace LightsOn.Gateway.History;

/// <param name="Grid">The household's grid in the registry; null for households no longer in it.</param>
internal sealed record ResponseTimesGrid(
    string? Grid,
    int Raised,
    int Acknowledged,
    int Resolved,
    DurationStats? TimeToAcknowledge,
    DurationStats? TimeToResolve);
