using System.Buffers;
using System.Buffers.Binary;
using LightsOn.Gateway.Spool;
using Microsoft.Win32.SafeHandles;

namespace LightsOn.Gateway.Webhooks;

/// <summary>
/// One webhook's durable queue: a folder of append-only segment files of checksummed records,
/// and a cursor file with the sequence of the last record done with (delivered, given up or
/// dropped). Events are fsync'd in batches before the sender sees them; a segment is deleted once
/// every record in it is done.
/// </summary>
/// <remarks>
/// Record, little-endian: u32 body length, u32 CRC-32C of everything after it, i64 outbox
/// sequence, i64 event id, i64 queued-at (Unix ms), the body. The outbox numbers records itself
/// rather than trusting event ids, so it needs nothing from the rest of the gateway to resume.
/// One appender (the webhook's append loop) and one reader (its sender) share it; the lock keeps
/// the pending queue, the cursor and the segment list consistent, while file bytes are written
/// outside it because the reader never reads past what has been published under it.
/// Delivery is at least once: the cursor is replaced by rename but not fsync'd, so after a power
/// failure a few events may be sent again, and receivers de-duplicate on the event id.
/// </remarks>
internal sealed partial class WebhookOutbox : IDisposable
{
    public const int HeaderBytes = 32;

    /// <summary>Largest event body kept; an alert event is a few hundred bytes.</summary>
    public const int MaxRecordBytes = 1 << 20;

    /// <summary>A new segment is started once the current one reaches this size.</summary>
    public const long SegmentBytes = 4L << 20;

    private const string SegmentExtension = ".seg";
    private const string CursorFileName = "cursor";
    private const string LockFileName = "lock";
    private const int CursorBytes = 12;

    private readonly Lock _lock = new();
    private readonly string _folder;
    private readonly int _maxEvents;
    private readonly long _maxBytes;
    private readonly ILogger _logger;
    private readonly string _webhook;
    private readonly SafeFileHandle _folderLock;
    private readonly Queue<Entry> _pending = new();
    private readonly SortedDictionary<long, Segment> _segments = [];
    private Segment _current = null!;
    private long _nextSequence = 1;
    private long _cursor;
    private long _pendingBytes;
    private long _dropped;
    private bool _disposed;

    private WebhookOutbox(string folder, int maxEvents, long maxBytes, ILogger logger, string webhook, SafeFileHandle folderLock)
    {
        _folderLock = folderLock;
        _folder = folder;
        _maxEvents = maxEvents;
        _maxBytes = maxBytes;
        _logger = logger;
        _webhook = webhook;
    }

    public string Folder => _folder;

    /// <summary>Events waiting for delivery.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Record bytes waiting for delivery.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _pendingBytes;
            }
        }
    }

    /// <summary>Events dropped since open: past the bounds, too large, or unreadable on disk.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Writes <paramref name="items"/> to the current segment, fsyncs it, and only then makes them
    /// visible to the sender. Returns how many events were dropped to stay within the bounds
    /// (oldest first) or for being too large.
    /// </summary>
    /// <exception cref="IOException">The write or the fsync failed: nothing was added, and the same items may be appended again.</exception>
    public int Append(IReadOnlyList<OutboxItem> items)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int size = 0;
        int tooLarge = 0;
        foreach (var item in items)
        {
            if (item.Body.Length > MaxRecordBytes)
            {
                tooLarge++;
            }
            else
            {
                size += HeaderBytes + item.Body.Length;
            }
        }

        if (_current.Length >= SegmentBytes)
        {
            // Rolled before writing, so a failure to create the file leaves nothing half done.
            lock (_lock)
            {
                StartSegment(_current.Number + 1);
                DeleteDoneSegments();
            }
        }

        var entries = new List<Entry>(items.Count);
        long sequence = _nextSequence;
        if (size > 0)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                int at = 0;
                foreach (var item in items)
                {
                    if (item.Body.Length > MaxRecordBytes)
                    {
                        continue;
                    }
                    int recordSize = HeaderBytes + item.Body.Length;
                    Encode(buffer.AsSpan(at, recordSize), sequence, item);
                    entries.Add(new Entry(sequence, _current.Number, _current.Length + at, recordSize));
                    at += recordSize;
                    sequence++;
                }
                // Written at the published end: a failed attempt leaves bytes past it that the
                // retry overwrites, or that recovery cuts off as a torn record.
                RandomAccess.Write(_current.Handle, buffer.AsSpan(0, size), _current.Length);
                RandomAccess.FlushToDisk(_current.Handle);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        lock (_lock)
        {
            if (entries.Count > 0)
            {
                _current.Length += size;
                _current.LastSequence = sequence - 1;
                _nextSequence = sequence;
                foreach (var entry in entries)
                {
                    _pending.Enqueue(entry);
                    _pendingBytes += entry.Size;
                }
            }
            int dropped = tooLarge + DropBeyondBounds();
            Interlocked.Add(ref _dropped, tooLarge);
            DeleteDoneSegments();
            return dropped;
        }
    }

    /// <summary>The oldest pending event, read back from disk, or null when none is pending.</summary>
    public OutboxRecord? Peek()
    {
        lock (_lock)
        {
            while (_pending.TryPeek(out var entry))
            {
                var record = new byte[entry.Size];
                int read;
                try
                {
                    read = ReadAt(_segments[entry.Segment].Handle, record, entry.Offset);
                }
                catch (IOException)
                {
                    read = -1;
                }
                if (read == entry.Size && TryDecode(record, out var decoded, out _) && decoded.Sequence == entry.Sequence)
                {
                    return decoded;
                }
                // The bytes changed on disk after they were written and checked: skipping is
                // better than sending garbage or stalling every later event behind them.
                _logger.WebhookOutboxRecordUnreadable(_webhook, entry.Sequence, entry.Segment, entry.Offset);
                Interlocked.Increment(ref _dropped);
                Advance();
                DeleteDoneSegments();
                WriteCursor();
            }
            return null;
        }
    }

    /// <summary>
    /// Marks the oldest pending event done (delivered or given up). Does nothing if it is no
    /// longer pending: it was dropped to stay within the bounds while it was being sent.
    /// </summary>
    public void Complete(long sequence)
    {
        lock (_lock)
        {
            if (_disposed || !_pending.TryPeek(out var entry) || entry.Sequence != sequence)
            {
                return;
            }
            Advance();
            DeleteDoneSegments();
            WriteCursor();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var segment in _segments.Values)
            {
                segment.Handle.Dispose();
            }
            _folderLock.Dispose();
        }
    }

    private int DropBeyondBounds()
    {
        int dropped = 0;
        // The newest event is always kept: MaxPendingBytes is at least one largest record.
        while (_pending.Count > _maxEvents || (_pendingBytes > _maxBytes && _pending.Count > 1))
        {
            Advance();
            dropped++;
        }
        if (dropped > 0)
        {
            Interlocked.Add(ref _dropped, dropped);
            WriteCursor();
        }
        return dropped;
    }

    private void Advance()
    {
        var entry = _pending.Dequeue();
        _pendingBytes -= entry.Size;
        _cursor = entry.Sequence;
    }

    private void StartSegment(long number)
    {
        string path = Path.Combine(_folder, number.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + SegmentExtension);
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        // The new name must survive a power failure along with the records fsync'd into it.
        DirectorySync.Flush(_folder);
        var segment = new Segment(number, path, handle);
        _segments.Add(number, segment);
        _current = segment;
    }

    /// <summary>Deletes, oldest first, every segment but the current one whose records are all done.</summary>
    private void DeleteDoneSegments()
    {
        while (_segments.Count > 1)
        {
            var oldest = _segments.First().Value;
            if (oldest == _current || oldest.LastSequence > _cursor)
            {
                return;
            }
            // The cursor goes first: a deleted segment must never leave a cursor behind it.
            WriteCursor();
            oldest.Handle.Dispose();
            _segments.Remove(oldest.Number);
            try
            {
                File.Delete(oldest.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Harmless but for its space: the next start finds its records behind the cursor and deletes it.
                _logger.WebhookOutboxNotCleaned(_webhook, oldest.Path, e.Message);
            }
        }
    }

    private void WriteCursor()
    {
        Span<byte> bytes = stackalloc byte[CursorBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, _cursor);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], Crc32C.Compute(bytes[..8]));
        string temporary = Path.Combine(_folder, CursorFileName + ".tmp");
        try
        {
            using (var file = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
            {
                RandomAccess.Write(file, bytes, 0);
            }
            // Rename replaces the old cursor whole: a reader finds the old value or the new one.
            File.Move(temporary, Path.Combine(_folder, CursorFileName), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Delivery goes on; only a restart before the next good write sends some events again.
            _logger.WebhookOutboxNotCleaned(_webhook, temporary, e.Message);
        }
    }

    private static void Encode(Span<byte> record, long sequence, OutboxItem item)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)item.Body.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], item.EventId);
        BinaryPrimitives.WriteInt64LittleEndian(record[24..], item.QueuedAtUnixMs);
        item.Body.CopyTo(record[HeaderBytes..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Compute(record[8..]));
    }

    /// <summary>Decodes one whole record, checking its length and checksum.</summary>
    private static bool TryDecode(ReadOnlySpan<byte> data, out OutboxRecord record, out int size)
    {
        record = null!;
        size = 0;
        if (data.Length < HeaderBytes)
        {
            return false;
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length > MaxRecordBytes || data.Length < HeaderBytes + (int)length)
        {
            return false;
        }
        size = HeaderBytes + (int)length;
        if (Crc32C.Compute(data[8..size]) != BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
        {
            return false;
        }
        record = new OutboxRecord(
            BinaryPrimitives.ReadInt64LittleEndian(data[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[16..]),
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(data[24..])),
            data[HeaderBytes..size].ToArray());
        return true;
    }

    private static int ReadAt(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    private sealed class Segment(long number, string path, SafeFileHandle handle)
    {
        public long Number { get; } = number;
        public string Path { get; } = path;
        public SafeFileHandle Handle { get; } = handle;

        /// <summary>Bytes of whole records, all fsync'd.</summary>
        public long Length { get; set; }

        /// <summary>The sequence of its last record; 0 while it holds none.</summary>
        public long LastSequence { get; set; }
    }

    private readonly record struct Entry(long Sequence, long Segment, long Offset, int Size);
}
