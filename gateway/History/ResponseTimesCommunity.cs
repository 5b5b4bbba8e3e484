namespace LightsOn.Gateway.History;

/// <param name="Raised">Alerts raised in the range.</param>
/// <param name="Acknowledged">Of those, the ones acknowledged (whenever that was).</param>
/// <param name="Resolved">Of those, the ones resolved.</param>
internal sealed record ResponseTimesCommunity(
    string Community,
    int Raised,
    int Acknowledged,
    int Resolved,
    DurationStats? TimeToAcknowledge,
    DurationStats? TimeToResolve,
    IReadOnlyList<ResponseTimesGrid> Grids);
