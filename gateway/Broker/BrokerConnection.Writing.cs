using System.Buffers;

namespace LightsOn.Gateway.Broker;

internal sealed partial class BrokerConnection
{
    // Written bytes are flushed when the queue runs dry, or before they pile up past this.
    private const int FlushThreshold = 32 * 1024;

    // How long a closing connection's writes may take before the socket is cut under them.
    private static readonly TimeSpan WriteDrainTimeout = TimeSpan.FromSeconds(5);

    private async Task WriteLoopAsync()
    {
        var queue = _outbound.Reader;
        try
        {
            while (await queue.WaitToReadAsync().ConfigureAwait(false))
            {
                while (queue.TryRead(out var item))
                {
                    if (item.Batch is { } batch)
                    {
                        if (!await WriteAcksAsync(batch).ConfigureAwait(false))
                        {
                            // Not durable: no acknowledgement. Closing makes the device send them again.
                            _broker.Counters.CountNotDurable();
                            Close(MqttReasonCode.UnspecifiedError);
                            return;
                        }
                    }
                    else if (item.Topic is { } topic)
                    {
                        await WritePublicationAsync(topic, item.Bytes!, item.Qos).ConfigureAwait(false);
                    }
                    else
                    {
                        _output.Write<byte>(item.Bytes);
                    }
                    if (_output.UnflushedBytes >= FlushThreshold && (await _output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                    {
                        return;
                    }
                }
                if ((await _output.FlushAsync().ConfigureAwait(false)).IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away; the read loop sees it too.
        }
        finally
        {
            // However writing ended, reading ends too: nothing would answer what it reads.
            Close(null);
        }
    }

    /// <returns>False when a message of the batch could not be made durable.</returns>
    private async ValueTask<bool> WriteAcksAsync(AckBatch batch)
    {
        await batch.WhenSettled().ConfigureAwait(false);
        if (batch.Failure is not null)
        {
            return false;
        }
        foreach (var durable in batch.Durable)
        {
            await durable.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!durable.IsCompletedSuccessfully)
            {
                return false;
            }
        }
        foreach (var ack in batch.Acks)
        {
            MqttPacketWriter.WriteAck(_output, ack.Type, ack.PacketId, ack.Reason, IsVersion5);
        }
        batch.Reset();
        _spareBatches.Enqueue(batch);
        return true;
    }

    private async ValueTask WritePublicationAsync(string topic, byte[] payload, int qos)
    {
        Interlocked.Decrement(ref _queuedPublications);
        ushort packetId = 0;
        if (qos > 0)
        {
            if (_sendQuota is { } quota && !quota.Wait(0))
            {
                // The subscriber's Receive Maximum is reached: send what is written, then wait for a PUBACK.
                await _output.FlushAsync().ConfigureAwait(false);
                await quota.WaitAsync().ConfigureAwait(false);
            }
            packetId = NextPacketId();
        }
        MqttPacketWriter.WritePublish(_output, topic, payload, qos, packetId, IsVersion5);
    }

    // Clean sessions and no retransmission: an id only has to differ from the ones in flight,
    // and 65,535 in a row cannot all be (the quota or the socket stops the loop long before).
    private ushort NextPacketId()
    {
        if (++_nextPacketId == 0)
        {
            _nextPacketId = 1;
        }
        return _nextPacketId;
    }

    private async Task FinishWritingAsync(Task writing)
    {
        try
        {
            await writing.WaitAsync(WriteDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A client that reads nothing: cut the socket so the pending write fails and the loop ends.
            _socket.Dispose();
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One item for the write loop: a batch of acknowledgements, a publication, or a ready-made control packet.</summary>
    private readonly record struct Outbound(AckBatch? Batch, string? Topic, byte[]? Bytes, int Qos)
    {
        public static Outbound Acknowledgements(AckBatch batch) => new(batch, null, null, 0);

        public static Outbound Publication(string topic, byte[] payload, int qos) => new(null, topic, payload, qos);

        public static Outbound Raw(byte[] packet) => new(null, null, packet, 0);
    }
}
