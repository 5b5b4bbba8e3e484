using System.Buffers;
using System.IO.Pipelines;

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
                await _writer.WaitAsync().ConfigureAwait(false);
                try
                {
                    while (queue.TryRead(out var item))
                    {
                        if (item.Topic is { } topic)
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
                finally
                {
                    _writer.Release();
                }
                // Acknowledgements that became ready meanwhile found the writer taken.
                WriteReadyAcks();
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

    /// <summary>
    /// Puts a sealed batch in line for writing; its acknowledgements go out once it and every
    /// batch before it are ready.
    /// </summary>
    private void QueueAcks(AckBatch batch)
    {
        lock (_acksLock)
        {
            if (_acksStopped)
            {
                return; // closing: nothing more is acknowledged, the device sends these again
            }
            _acks.Enqueue(batch);
        }
        batch.Seal(_writeReadyAcks);
    }

    /// <summary>
    /// Writes the acknowledgements of the ready batches at the head of the line, in order, on
    /// the thread that made the last of them ready (the one completing a storage batch, mostly):
    /// at light load that spares waking the write loop for every message. When the writer is
    /// taken, its holder looks again once it lets go.
    /// </summary>
    private void WriteReadyAcks()
    {
        while (HeadReady() && _writer.Wait(0))
        {
            ValueTask<FlushResult> flush;
            try
            {
                if (!WriteHeadAcks(out bool wrote) || !wrote)
                {
                    _writer.Release();
                    continue;
                }
                flush = _output.FlushAsync();
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
            {
                _writer.Release();
                Close(null);
                return;
            }
            if (!flush.IsCompletedSuccessfully)
            {
                _ = FinishFlushAsync(flush);
                return;
            }
            // A ValueTask is consumed once, done or not; a closed client shows in the read loop.
            _ = flush.Result;
            _writer.Release();
        }
    }

    private async Task FinishFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close(null);
        }
        finally
        {
            _writer.Release();
        }
        WriteReadyAcks();
    }

    private bool HeadReady()
    {
        lock (_acksLock)
        {
            return !_acksStopped && _acks.TryPeek(out var head) && head.IsReady;
        }
    }

    /// <summary>With the writer held: writes the ready batches at the head of the line.</summary>
    /// <returns>False when a message could not be made durable: the connection closes, so the device sends it again.</returns>
    private bool WriteHeadAcks(out bool wrote)
    {
        wrote = false;
        lock (_acksLock)
        {
            while (!_acksStopped && _acks.TryPeek(out var batch) && batch.IsReady)
            {
                _acks.Dequeue();
                if (batch.Failure is not null)
                {
                    // Not durable: no acknowledgement, for it or any later message.
                    _acksStopped = true;
                    _broker.Counters.CountNotDurable();
                    Close(MqttReasonCode.UnspecifiedError);
                    return false;
                }
                foreach (var ack in batch.Acks)
                {
                    MqttPacketWriter.WriteAck(_output, ack.Type, ack.PacketId, ack.Reason, IsVersion5);
                }
                wrote = true;
                batch.Reset();
                _spareBatches.Enqueue(batch);
            }
        }
        return true;
    }

    /// <summary>At the end: no more acknowledgements are written, and the writer stays taken, so the output can be completed.</summary>
    private async Task StopWritingAcksAsync()
    {
        lock (_acksLock)
        {
            _acksStopped = true;
        }
        await FinishWritingAsync(_writer.WaitAsync()).ConfigureAwait(false);
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

    /// <summary>Waits for a writer to finish; one stuck on a client that reads nothing gets its socket cut under it.</summary>
    private async Task FinishWritingAsync(Task writing)
    {
        try
        {
            await writing.WaitAsync(WriteDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Cut the socket so the pending write fails and the writer lets go.
            _socket.Dispose();
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One item for the write loop: a publication, or a ready-made control packet.</summary>
    private readonly record struct Outbound(string? Topic, byte[]? Bytes, int Qos)
    {
        public static Outbound Publication(string topic, byte[] payload, int qos) => new(topic, payload, qos);

        public static Outbound Raw(byte[] packet) => new(null, packet, 0);
    }
}
