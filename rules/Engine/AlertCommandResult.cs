namespace LightsOn.Rules;

public enum AlertCommandResult : byte
{
    Done,

    /// <summary>
    /// The shard holds no open alert with that id. A shard forgets an alert once it is
    /// resolved (resolved alerts are final); the alert history, and so the difference between
    /// "never existed" and "already resolved", lives with the gateway's alert store.
    /// </summary>
    NotFound,

    /// <summary>Acknowledging an alert that is already acknowledged changes nothing.</summary>
    AlreadyAcknowledged,
}
