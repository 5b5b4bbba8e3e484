namespace LightsOn.Gateway.History;

/// <summary>The <c>lights-not-on</c> alert of that evening, as its latest stored change left it.</summary>
internal sealed record LightsReportAlert(
    string Id,
    DateTime RaisedAt,
    string? State,
    string? Level,
    DateTime? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTime? ResolvedAt,
    string? ResolvedBy,
    string? Outcome,
    string? Note);
