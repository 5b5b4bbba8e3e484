namespace LightsOn.Gateway.History;

/// <summary>
/// One alert's stored changes folded together: when it was raised (its first point), when it
/// was first acknowledged and resolved and by whom, and where its latest change left it.
/// </summary>
/// <remarks>
/// An <c>alert</c> point does not say which change it records; the first point of an id is the
/// raise only when the read reaches back far enough, which is why readers start
/// <see cref="HistoryApi.EscalationLookBack"/> before the raises they count: escalations, the
/// only later changes that leave an alert <c>open</c>, all happen within that.
/// </remarks>
internal sealed class AlertStory
{
    private AlertStory(AlertPoint first)
    {
        Id = first.Id;
        Household = first.Household;
        Community = first.Community;
        Kind = first.Kind;
        RaisedAt = first.Time;
        FirstState = first.State;
    }

    public string Id { get; }
    public string? Household { get; }
    public string? Community { get; }
    public string? Kind { get; }
    public DateTime RaisedAt { get; }

    /// <summary><c>open</c> when the first point read is the raise.</summary>
    public string? FirstState { get; }

    public string? State { get; private set; }
    public string? Level { get; private set; }
    public DateTime? AcknowledgedAt { get; private set; }
    public string? AcknowledgedBy { get; private set; }
    public DateTime? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }
    public string? Outcome { get; private set; }
    public string? Note { get; private set; }

    /// <param name="points">In time order.</param>
    public static Dictionary<string, AlertStory> Fold(IEnumerable<AlertPoint> points)
    {
        var stories = new Dictionary<string, AlertStory>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            if (!stories.TryGetValue(point.Id, out var story))
            {
                story = new AlertStory(point);
                stories.Add(point.Id, story);
            }
            story.Add(point);
        }
        return stories;
    }

    private void Add(AlertPoint point)
    {
        State = point.State;
        Level = point.Level ?? Level;
        if (point.State == "acknowledged" && AcknowledgedAt is null)
        {
            AcknowledgedAt = point.Time;
            AcknowledgedBy = point.By;
        }
        if (point.State == "resolved" && ResolvedAt is null)
        {
            ResolvedAt = point.Time;
            ResolvedBy = point.By;
            Outcome = point.Outcome;
            Note = point.Note;
        }
    }
}
