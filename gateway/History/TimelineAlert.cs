namespace LightsOn.Gateway.History;

/// <summary>An alert change on a household's timeline.</summary>
internal sealed record TimelineAlert(
    DateTime Time,
    string Id,
    string? Kind,
    string? Severity,
    string? State,
    string? Level,
    string? By,
    string? Outcome,
    string? Note,
    string? Device)
{
    public static TimelineAlert Of(AlertPoint p) =>
        new(p.Time, p.Id, p.Kind, p.Severity, p.State, p.Level, p.By, p.Outcome, p.Note, p.Device);
}
