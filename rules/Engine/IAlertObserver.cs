namespace LightsOn.Rules;

/// <summary>
/// Told of every alert change, synchronously on the shard's thread. Implementations hand the
/// change off (serialize it, queue it) and return quickly: the shard's hot path waits.
/// </summary>
public interface IAlertObserver
{
    void OnAlertChanged(Alert alert, AlertChange change);
}
