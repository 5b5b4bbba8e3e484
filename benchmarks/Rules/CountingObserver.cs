using LightsOn.Rules;

namespace LightsOn.Benchmarks.Rules;

/// <summary>Counts alert changes: the steady-state scenarios must raise none.</summary>
public sealed class CountingObserver : IAlertObserver
{
    public int Changes { get; private set; }

    public void OnAlertChanged(Alert alert, AlertChange change) => Changes++;
}
