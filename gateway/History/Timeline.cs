namespace LightsOn.Gateway.History;

/// <summary><c>GET /api/households/{id}/timeline</c>: a household's stored points between two instants, in time order.</summary>
/// <param name="Truncated">More points lay in the range than one answer carries; the lists end early (the earliest are kept).</param>
internal sealed record Timeline(
    string Household,
    DateTime From,
    DateTime To,
    IReadOnlyList<TimelinePoint> Telemetry,
    IReadOnlyList<TimelineAlert> Alerts,
    bool Truncated);
