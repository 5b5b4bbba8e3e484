namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// Told by a shard what became of one message: it is in a storage batch, durable once the
/// given task completes (then the message may be acknowledged to the broker), or it failed.
/// </summary>
internal interface IMessageSettlement
{
    void Complete(Task durable);

    void Fail(Exception error);
}
