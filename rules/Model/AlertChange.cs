namespace LightsOn.Rules;

/// <summary>What happened to an alert; every change is published as one event.</summary>
public enum AlertChange : byte
{
    Raised,

    /// <summary>The same condition happened again while the alert was still open (a second SOS press).</summary>
    Repeated,
    Escalated,
    Acknowledged,
    Resolved,
}
