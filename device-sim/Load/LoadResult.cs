namespace LightsOn.DeviceSim.Load;

/// <summary>
/// What a load run did. <see cref="Sent"/> counts publishes started; <see cref="Acknowledged"/>
/// those the broker confirmed (PUBACK for QoS 1, written to the socket for QoS 0).
/// <see cref="Publishing"/> is the time publishes were started in (the duration, unless the
/// run was cancelled or lost its connections); <see cref="Elapsed"/> adds the wait for the
/// last acknowledgements.
/// </summary>
internal sealed record LoadResult(
    long Sent,
    long Acknowledged,
    long Errors,
    int Connections,
    double TargetRate,
    TimeSpan Publishing,
    TimeSpan Elapsed,
    string? Failure)
{
    /// <summary>Messages sent per second while publishing: the rate the run reached, to hold against <see cref="TargetRate"/>.</summary>
    public double Rate => Publishing > TimeSpan.Zero ? Sent / Publishing.TotalSeconds : 0;

    /// <summary>Acknowledged messages per second from the first publish to the last acknowledgement.</summary>
    public double AcknowledgedRate => Elapsed > TimeSpan.Zero ? Acknowledged / Elapsed.TotalSeconds : 0;

    /// <summary>Clean: every connection came up and every message sent was acknowledged.</summary>
    public bool Succeeded => Failure is null && Errors == 0 && Acknowledged == Sent;
}
