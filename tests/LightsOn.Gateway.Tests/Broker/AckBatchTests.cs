using LightsOn.Gateway.Broker;

namespace LightsOn.Gateway.Tests.Broker;

/// <summary>
/// A read's acknowledgements are ready once the read is sealed, every message is settled by its
/// shard, and every storage batch they went into is durable; not before, and only once.
/// </summary>
public sealed class AckBatchTests
{
    [Fact]
    public void Ready_only_once_sealed_settled_and_durable_and_the_callback_comes_once()
    {
        var batch = new AckBatch();
        int ready = 0;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        batch.AddPending(MqttPacketType.PubAck, 1);
        batch.AddPending(MqttPacketType.PubAck, 2);
        batch.AddSettled(MqttPacketType.PubAck, 3, MqttReasonCode.NotAuthorized);

        batch.Complete(first.Task);
        batch.Seal(() => Interlocked.Increment(ref ready));
        Assert.False(batch.IsReady); // message 2 is still in its shard
        batch.Complete(second.Task);
        Assert.False(batch.IsReady); // both storage batches are still on their way

        first.SetResult();
        Assert.False(SpinWait.SpinUntil(() => batch.IsReady, 200));
        second.SetResult();
        Assert.True(SpinWait.SpinUntil(() => batch.IsReady, 5_000));

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref ready) == 1, 5_000));
        Assert.Null(batch.Failure);
        Assert.Equal([(ushort)1, (ushort)2, (ushort)3], batch.Acks.ToArray().Select(a => a.PacketId));
        Thread.Sleep(100);
        Assert.Equal(1, Volatile.Read(ref ready));
    }

    [Fact]
    public void Messages_already_durable_make_the_batch_ready_as_it_is_sealed()
    {
        var batch = new AckBatch();
        bool ready = false;
        batch.AddPending(MqttPacketType.PubAck, 7);
        batch.Complete(Task.CompletedTask);

        batch.Seal(() => ready = true);

        Assert.True(ready);
        Assert.True(batch.IsReady);
    }

    [Fact]
    public void A_storage_batch_that_fails_makes_the_batch_ready_with_the_failure_so_nothing_is_acknowledged()
    {
        var batch = new AckBatch();
        int ready = 0;
        var storage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        batch.AddPending(MqttPacketType.PubAck, 1);
        batch.Complete(storage.Task);
        batch.Seal(() => Interlocked.Increment(ref ready));

        storage.SetException(new IOException("InfluxDB and the spool both refused"));

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref ready) == 1, 5_000));
        Assert.IsType<IOException>(batch.Failure);
    }

    [Fact]
    public void A_message_a_shard_could_not_take_fails_the_batch()
    {
        var batch = new AckBatch();
        batch.AddPending(MqttPacketType.PubAck, 1);
        batch.Fail(new InvalidOperationException("The InfluxDB writer is stopped."));

        batch.Seal(() => { });

        Assert.True(batch.IsReady);
        Assert.IsType<InvalidOperationException>(batch.Failure);
    }
}
