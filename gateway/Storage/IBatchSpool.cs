namespace LightsOn.Gateway.Storage;

/// <summary>
/// Where <see cref="InfluxWriter"/> puts batches while InfluxDB is unreachable: a bounded,
/// durable FIFO of line protocol batches (uncompressed, <c>\n</c>-terminated lines), replayed
/// oldest first when InfluxDB answers again.
/// </summary>
/// <remarks>
/// One writer appends (from several send loops, so implementations must accept concurrent
/// <see cref="AppendAsync"/> calls) and one replay loop reads and acknowledges; the replay
/// loop never overlaps itself.
/// </remarks>
internal interface IBatchSpool
{
    /// <summary>No batch is waiting for replay.</summary>
    bool IsEmpty { get; }

    /// <summary>
    /// Stores one batch at the tail. Completes only once the batch is durable: the writer then
    /// reports its points as stored, and the broker acknowledges them to the devices. When the
    /// spool is at its bound this waits for the replay to make room (backpressure up to the
    /// broker) rather than dropping anything. The caller may reuse <paramref name="lineProtocolBatch"/>
    /// once this completes.
    /// </summary>
    ValueTask AppendAsync(ReadOnlyMemory<byte> lineProtocolBatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The oldest batch, left in place; <see langword="null"/> when the spool is empty. The
    /// memory stays valid until <see cref="AckOldestAsync"/> or the next read.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>?> ReadOldestAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the oldest batch: InfluxDB has it (or refused it for good).</summary>
    ValueTask AckOldestAsync(CancellationToken cancellationToken = default);
}
