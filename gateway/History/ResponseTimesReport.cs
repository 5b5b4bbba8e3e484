namespace LightsOn.Gateway.History;

/// <summary><c>GET /api/reports/response-times</c>: how fast alerts raised in <c>[From, To)</c> were handled.</summary>
/// <param name="Truncated">More alert points lay in the range than one answer reads; the figures cover the earliest.</param>
internal sealed record ResponseTimesReport(DateTime From, DateTime To, IReadOnlyList<ResponseTimesCommunity> Communities, bool Truncated);
