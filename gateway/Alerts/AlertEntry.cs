using LightsOn.Rules;

namespace LightsOn.Gateway.Alerts;

/// <summary>An alert as it stands after its latest change, with that change's design.md JSON.</summary>
internal sealed record AlertEntry(AlertRecord Record, string Community, string Household, byte[] Json)
{
    public bool IsActive => Record.State != AlertState.Resolved;
}
