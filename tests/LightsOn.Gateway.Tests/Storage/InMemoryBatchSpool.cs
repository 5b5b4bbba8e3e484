using LightsOn.Gateway.Storage;

namespace LightsOn.Gateway.Tests.Storage;

/// <summary>Stands in for the on-disk spool: a FIFO of copied batches, with counts for asserts.</summary>
internal sealed class InMemoryBatchSpool : IBatchSpool
{
    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _batches = new();
    private long _appended;
    private long _acked;

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _batches.Count == 0;
            }
        }
    }

    public long Appended => Interlocked.Read(ref _appended);

    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Every batch still held, oldest first.</summary>
    public IReadOnlyList<byte[]> Held
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    public ValueTask AppendAsync(ReadOnlyMemory<byte> lineProtocolBatch, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _batches.Enqueue(lineProtocolBatch.ToArray());
        }
        Interlocked.Increment(ref _appended);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ReadOnlyMemory<byte>?> ReadOldestAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_batches.TryPeek(out var oldest) ? new ReadOnlyMemory<byte>(oldest) : (ReadOnlyMemory<byte>?)null);
        }
    }

    public ValueTask AckOldestAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _batches.Dequeue();
        }
        Interlocked.Increment(ref _acked);
        return ValueTask.CompletedTask;
    }
}
