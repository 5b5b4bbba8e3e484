using System.Buffers;
using System.IO.Compression;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// One batch of line protocol and the completion its points' callers wait on. The writer keeps
/// a fixed set of these and reuses them, so the buffers grow once and are never reallocated;
/// only the completion is new per batch.
/// </summary>
internal sealed class WriteBatch(int initialBytes)
{
    private readonly MemoryStream _compressed = new();

    public ArrayBufferWriter<byte> Lines { get; } = new(initialBytes);

    public int Count { get; set; }

    /// <summary>Tells a flush timer armed for an earlier fill of this same object to stand down.</summary>
    public long Generation { get; set; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the first point landed.</summary>
    public long OpenedAt { get; set; }

    /// <summary>
    /// Completes when every point of the batch is in InfluxDB or in the spool (or was refused
    /// as bad by InfluxDB); faults only if the writer stopped with neither possible.
    /// Continuations run asynchronously, never inside a send loop.
    /// </summary>
    public TaskCompletionSource Completion { get; private set; } = NewCompletion();

    /// <summary>The request body: the lines, gzip-compressed when asked.</summary>
    public ReadOnlyMemory<byte> Body(bool gzip) => gzip ? Gzip(Lines.WrittenMemory, _compressed) : Lines.WrittenMemory;

    public void Reset()
    {
        Lines.ResetWrittenCount();
        Count = 0;
        Completion = NewCompletion();
    }

    /// <summary>Compresses into <paramref name="buffer"/>, reusing its memory from the last time.</summary>
    public static ReadOnlyMemory<byte> Gzip(ReadOnlyMemory<byte> lines, MemoryStream buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.SetLength(0);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(lines.Span);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
