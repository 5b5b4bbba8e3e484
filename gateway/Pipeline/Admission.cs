namespace LightsOn.Gateway.Pipeline;

/// <summary>What <see cref="Ingestor.Admit"/> made of a message from the embedded broker.</summary>
internal enum Admission
{
    /// <summary>Decoded: the connection enqueues it to its shard, which settles it.</summary>
    Accepted,

    /// <summary>Refused or over its device's rate, and handled: acknowledge it now.</summary>
    Settled,

    /// <summary>The gateway is stopping: leave it unacknowledged and close, so the device sends it again.</summary>
    Stopping,
}
