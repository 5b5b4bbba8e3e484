namespace LightsOn.Rules;

public enum AlertCommandResult : byte
{
    Done,
    NotFound,

    /// <summary>The alert is already resolved; resolved alerts are final.</summary>
    AlreadyResolved,

    /// <summary>Acknowledging an alert that is already acknowledged changes nothing.</summary>
    AlreadyAcknowledged,
}
