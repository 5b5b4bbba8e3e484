namespace LightsOn.Gateway.Spool;

/// <summary>
/// What the InfluxDB writer needs from a spool: park whole batches durably while InfluxDB is
/// unreachable, and hand them back oldest first. One appender and one reader may use it at
/// the same time; neither operation is safe to call from two threads at once.
/// </summary>
internal interface IBatchSpool
{
    /// <summary>True when every appended batch has been acknowledged.</summary>
    bool IsEmpty { get; }

    /// <summary>Bytes on disk of the unacknowledged batches, record headers included.</summary>
    long Bytes { get; }

    /// <summary>Number of unacknowledged batches.</summary>
    int Batches { get; }

    /// <summary>
    /// Appends a batch. When this completes the batch is on disk (fsynced) and survives a
    /// crash. Waits while the spool is full, until acknowledgements make room, or throws
    /// <see cref="OperationCanceledException"/> (the batch is then not spooled).
    /// </summary>
    ValueTask AppendAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken);

    /// <summary>The oldest unacknowledged batch (the same one until it is acknowledged), or null when the spool is empty.</summary>
    ValueTask<SpooledBatch?> PeekOldestAsync(CancellationToken cancellationToken);

    /// <summary>Removes the oldest batch once it is stored in InfluxDB.</summary>
    ValueTask AckOldestAsync();
}
