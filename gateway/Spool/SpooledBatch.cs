using System.Buffers;

namespace LightsOn.Gateway.Spool;

/// <summary>
/// The oldest spooled batch, read back into a buffer rented from <see cref="ArrayPool{T}.Shared"/>.
/// Dispose it exactly once when done (after the write to InfluxDB, whether or not it worked):
/// that returns the buffer. A struct so that replay allocates nothing but the pooled buffer;
/// copies share that buffer, so only one of them may be disposed.
/// </summary>
internal readonly struct SpooledBatch : IDisposable
{
    private readonly byte[]? _buffer;
    private readonly int _length;

    internal SpooledBatch(byte[]? buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The batch exactly as it was given to <see cref="DiskSpool.AppendAsync"/>.</summary>
    public ReadOnlyMemory<byte> Payload => _buffer.AsMemory(0, _length);

    public int Length => _length;

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
