using System.Threading.Tasks.Sources;

namespace LightsOn.Gateway.Pipeline;

/// <summary>
/// Carries "your message is in a batch; here is the batch's completion" from a shard's
/// thread back to the connection that published it. MQTTnet handles one PUBLISH at a time
/// per connection, so one reusable waiter per connection (kept in its session items) serves
/// every message of that connection without an allocation per message.
/// </summary>
internal sealed class PublishWaiter : IValueTaskSource<Task>, IMessageSettlement
{
    private static readonly object SessionKey = new();
    private ManualResetValueTaskSourceCore<Task> _core = new() { RunContinuationsAsynchronously = true };

    public static PublishWaiter For(System.Collections.IDictionary sessionItems)
    {
        if (sessionItems[SessionKey] is PublishWaiter waiter)
        {
            return waiter;
        }
        waiter = new PublishWaiter();
        sessionItems[SessionKey] = waiter;
        return waiter;
    }

    /// <summary>Arms the waiter for the next message; the previous one must have been awaited.</summary>
    public ValueTask<Task> Arm()
    {
        _core.Reset();
        return new ValueTask<Task>(this, _core.Version);
    }

    /// <summary>Called by the shard: the message is settled and durable once <paramref name="durable"/> completes.</summary>
    public void Complete(Task durable) => _core.SetResult(durable);

    public void Fail(Exception error) => _core.SetException(error);

    public Task GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
