namespace LightsOn.Rules.Tests.Support;

/// <summary>Keeps a snapshot of every alert change, in order: the alert object itself changes later.</summary>
internal sealed class RecordingObserver : IAlertObserver
{
    private readonly List<AlertEvent> _events = [];

    public IReadOnlyList<AlertEvent> Events => _events;

    public void OnAlertChanged(Alert alert, AlertChange change) => _events.Add(new AlertEvent(change, alert.Snapshot()));

    public void Clear() => _events.Clear();
}

internal readonly record struct AlertEvent(AlertChange Change, AlertRecord Alert);
