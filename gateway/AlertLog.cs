using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>
/// Logs every alert change by id (alert, household, kind, level): never a resident's or a
/// contact's name or phone. Runs on the shard's thread, so it only formats a log line.
/// </summary>
internal sealed class AlertLog(ILogger<AlertLog> logger) : IAlertObserver
{
    public void OnAlertChanged(Alert alert, AlertChange change) =>
        logger.AlertChanged(alert.Id, change.ToWire(), alert.Kind.ToWire(), alert.Household.Id, alert.Level.ToWire(), alert.State.ToWire());
}
