using LightsOn.Rules;

namespace LightsOn.Gateway.Alerts;

/// <summary>An alert as it stands after its latest change, with that change's design.md JSON.</summary>
/// <param name="EventId">The change's event id; 0 for an alert restored at start.</param>
internal sealed record AlertEntry(AlertRecord Record, string Community, string Household, string Grid, byte[] Json, long EventId)
{
    public bool IsActive => Record.State != AlertState.Resolved;
}
