using LightsOn.Gateway.Storage;

namespace LightsOn.Gateway.Spool;

/// <summary>
/// The <see cref="DiskSpool"/> as the InfluxDB writer uses it: the writer's send loops may
/// spool concurrently while the spool takes one appender at a time, so appends queue here; and
/// the batch being replayed stays in its pooled buffer until it is acknowledged or read again.
/// </summary>
internal sealed class WriterSpool(DiskSpool spool) : IBatchSpool, IDisposable
{
    private readonly SemaphoreSlim _appending = new(1, 1);
    private SpooledBatch? _current;

    public DiskSpool Disk => spool;

    public bool IsEmpty => spool.IsEmpty;

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> lineProtocolBatch, CancellationToken cancellationToken = default)
    {
        await _appending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await spool.AppendAsync(lineProtocolBatch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _appending.Release();
        }
    }

    public async ValueTask<ReadOnlyMemory<byte>?> ReadOldestAsync(CancellationToken cancellationToken = default)
    {
        Release();
        _current = await spool.PeekOldestAsync(cancellationToken).ConfigureAwait(false);
        return _current?.Payload;
    }

    public async ValueTask AckOldestAsync(CancellationToken cancellationToken = default)
    {
        Release();
        await spool.AckOldestAsync().ConfigureAwait(false);
    }

    private void Release()
    {
        _current?.Dispose();
        _current = null;
    }

    public void Dispose()
    {
        Release();
        _appending.Dispose();
        spool.Dispose();
    }
}
