using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace LightsOn.Gateway.Spool;

/// <summary>
/// The bounded on-disk spool the InfluxDB writer parks whole batches in while InfluxDB is
/// unreachable: append-only segment files of checksummed records, read back in strict FIFO
/// order, acknowledged one by one. File format, guarantees and crash behaviour: docs/spool.md.
/// </summary>
/// <remarks>
/// One appender and one reader may work at the same time (the writer's flush loop and its
/// replay loop). The appender owns the <c>_write*</c> fields, the reader the <c>_read*</c>
/// fields; what both see (segment lengths and links, depth, counters, the waiting appender)
/// changes under <see cref="_lock"/>, which is never held across I/O. File I/O is synchronous
/// positional I/O (<see cref="RandomAccess"/>): an append blocks its thread for the write and
/// the fsync, which is what makes it durable when it returns.
/// </remarks>
internal sealed partial class DiskSpool : IDisposable
{
    public const string LockFileName = "lock";

    private readonly Lock _lock = new();
    private readonly string _folder;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly ILogger _logger;
    private readonly SafeFileHandle _folderLock;
    private readonly SpoolCursor _cursor;
    private readonly int _tornRecords;

    // Appender's own.
    private SpoolSegment _writeSegment;
    private SafeFileHandle _writeFile;
    private long _writeOffset;
    private bool _writerWaited;

    // Reader's own.
    private SpoolSegment _readSegment;
    private SafeFileHandle? _readFile;
    private long _readOffset;
    private long _peekedRecordBytes = -1;

    // Shared, under _lock (read without it through Volatile for the counters).
    private long _bytes;
    private int _batches;
    private long _appended;
    private long _replayed;
    private long _fullWaits;
    private TaskCompletionSource? _roomFreed;
    private bool _disposed;

    private DiskSpool(SpoolOptions options, ILogger logger, SafeFileHandle folderLock, SpoolCursor cursor, Recovered recovered)
    {
        _folder = options.ResolvedPath;
        _maxBytes = options.MaxBytes;
        _segmentBytes = options.SegmentBytes;
        _logger = logger;
        _folderLock = folderLock;
        _cursor = cursor;
        _tornRecords = recovered.TornRecords;
        _readSegment = recovered.Head;
        _readOffset = recovered.HeadOffset;
        _writeSegment = recovered.Tail;
        _writeOffset = recovered.Tail.Length;
        _writeFile = recovered.TailFile;
        _bytes = recovered.Bytes;
        _batches = recovered.Batches;
    }

    public string Folder => _folder;

    public bool IsEmpty => Volatile.Read(ref _batches) == 0;

    public long Bytes => Volatile.Read(ref _bytes);

    public int Batches => Volatile.Read(ref _batches);

    /// <summary>Batches appended since the spool was opened.</summary>
    public long Appended => Volatile.Read(ref _appended);

    /// <summary>Batches acknowledged (replayed into InfluxDB) since the spool was opened.</summary>
    public long Replayed => Volatile.Read(ref _replayed);

    /// <summary>Torn or corrupt records found and cut off when the spool was opened.</summary>
    public int TornRecords => _tornRecords;

    /// <summary>Appends that had to wait for room because the spool was at <see cref="SpoolOptions.MaxBytes"/>.</summary>
    public long FullWaits => Volatile.Read(ref _fullWaits);

    public ValueTask AppendAsync(ReadOnlyMemory<byte> batch, CancellationToken cancellationToken)
    {
        long recordBytes = SpoolRecord.HeaderSize + (long)batch.Length;
        if (batch.Length > SpoolRecord.MaxPayload || recordBytes > _maxBytes)
        {
            ThrowBatchTooLarge(batch.Length);
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        bool room;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            room = _bytes + recordBytes <= _maxBytes;
        }
        if (!room)
        {
            return AppendWhenRoomAsync(batch, recordBytes, cancellationToken);
        }
        _writerWaited = false;
        WriteRecord(batch.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask<SpooledBatch?> PeekOldestAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        if (Volatile.Read(ref _batches) == 0)
        {
            return new ValueTask<SpooledBatch?>(default(SpooledBatch?));
        }

        MoveReaderPastFinishedSegments();
        var file = _readFile ??= OpenForReading(_readSegment);
        int length = ReadHeader(file, out uint crc);
        byte[]? buffer = length == 0 ? null : ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var payload = buffer.AsSpan(0, length);
            ReadExactly(file, payload, _readOffset + SpoolRecord.HeaderSize);
            if (Crc32C.Compute(payload) != crc)
            {
                ThrowCorrupt("its checksum does not match");
            }
        }
        catch
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            throw;
        }
        _peekedRecordBytes = SpoolRecord.HeaderSize + length;
        return new ValueTask<SpooledBatch?>(new SpooledBatch(buffer, length));
    }

    public ValueTask AckOldestAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        if (Volatile.Read(ref _batches) == 0)
        {
            throw new InvalidOperationException("The spool is empty: there is no batch to acknowledge.");
        }

        long recordBytes = _peekedRecordBytes;
        if (recordBytes < 0)
        {
            MoveReaderPastFinishedSegments();
            recordBytes = SpoolRecord.HeaderSize + ReadHeader(_readFile ??= OpenForReading(_readSegment), out _);
        }
        _peekedRecordBytes = -1;
        _readOffset += recordBytes;
        // Persisted before the room is given away: a crash from here on never replays this batch
        // (unless a power failure also loses the unsynced cursor write, see SpoolCursor).
        _cursor.Save(_readSegment.Id, _readOffset);

        TaskCompletionSource? waiter;
        bool drained;
        lock (_lock)
        {
            _bytes -= recordBytes;
            drained = --_batches == 0;
            _replayed++;
            waiter = _roomFreed;
            _roomFreed = null;
        }
        waiter?.TrySetResult();

        // Deletes the segment at once when this was its last record, so acknowledged data does
        // not sit on disk until the next read.
        MoveReaderPastFinishedSegments();
        if (drained)
        {
            _logger.SpoolDrained(Replayed);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Closes the files. Not to be called while an append, peek or acknowledgement is running;
    /// an append waiting for room fails with <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            waiter = _roomFreed;
            _roomFreed = null;
        }
        waiter?.TrySetException(new ObjectDisposedException(nameof(DiskSpool)));
        _readFile?.Dispose();
        _writeFile.Dispose();
        _cursor.Dispose();
        _folderLock.Dispose();
    }

    private async ValueTask AppendWhenRoomAsync(ReadOnlyMemory<byte> batch, long recordBytes, CancellationToken cancellationToken)
    {
        bool firstWait = true;
        while (true)
        {
            Task room;
            long bytes;
            int batches;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_bytes + recordBytes <= _maxBytes)
                {
                    break;
                }
                room = (_roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                bytes = _bytes;
                batches = _batches;
                if (firstWait)
                {
                    _fullWaits++;
                }
            }
            if (firstWait && !_writerWaited)
            {
                // Once per stretch of full-spool appends, not once per batch.
                _logger.SpoolFull(bytes, _maxBytes, batches);
            }
            firstWait = false;
            _writerWaited = true;
            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        WriteRecord(batch.Span);
    }

    private void WriteRecord(ReadOnlySpan<byte> payload)
    {
        long recordBytes = SpoolRecord.HeaderSize + (long)payload.Length;
        if (_writeOffset > 0 && _writeOffset + recordBytes > _segmentBytes)
        {
            StartSegment();
        }

        Span<byte> header = stackalloc byte[SpoolRecord.HeaderSize];
        SpoolRecord.WriteHeader(header, payload);
        try
        {
            RandomAccess.Write(_writeFile, header, _writeOffset);
            RandomAccess.Write(_writeFile, payload, _writeOffset + SpoolRecord.HeaderSize);
            RandomAccess.FlushToDisk(_writeFile);
        }
        catch (IOException)
        {
            // A disk-full or I/O error may have left part of the record behind: cut it off so
            // the next append starts on a clean end (recovery would cut it anyway).
            TryTruncate(_writeFile, _writeOffset);
            throw;
        }

        _writeOffset += recordBytes;
        lock (_lock)
        {
            _writeSegment.Length = _writeOffset;
            _bytes += recordBytes;
            _batches++;
            _appended++;
        }
    }

    private void StartSegment()
    {
        long id = _writeSegment.Id + 1;
        var next = new SpoolSegment(id, Path.Combine(_folder, SpoolSegment.FileName(id)));
        var file = CreateSegmentFile(next.Path, _folder);
        _writeFile.Dispose();
        _writeFile = file;
        _writeOffset = 0;
        lock (_lock)
        {
            _writeSegment.Sealed = true;
            _writeSegment.Next = next;
        }
        _writeSegment = next;
        _logger.SpoolSegmentStarted(id);
    }

    /// <summary>Moves the reader over sealed segments it has read to the end, deleting them.</summary>
    private void MoveReaderPastFinishedSegments()
    {
        while (true)
        {
            SpoolSegment next;
            lock (_lock)
            {
                if (!_readSegment.Sealed || _readOffset < _readSegment.Length)
                {
                    return;
                }
                next = _readSegment.Next!;
            }
            var finished = _readSegment;
            _readFile?.Dispose();
            _readFile = null;
            _readSegment = next;
            _readOffset = 0;
            // The cursor moves first: a crash between the two leaves a fully acknowledged file
            // that the next open deletes, never a cursor pointing into a deleted one.
            _cursor.Save(next.Id, 0);
            File.Delete(finished.Path);
            _logger.SpoolSegmentDeleted(finished.Id);
        }
    }

    private int ReadHeader(SafeFileHandle file, out uint crc)
    {
        Span<byte> header = stackalloc byte[SpoolRecord.HeaderSize];
        ReadExactly(file, header, _readOffset);
        if (!SpoolRecord.TryReadHeader(header, out int length, out crc)
            || _readOffset + SpoolRecord.HeaderSize + length > _readSegment.Length)
        {
            ThrowCorrupt("its header is not valid");
        }
        return length;
    }

    private void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
            {
                ThrowCorrupt("the file ends inside it");
            }
            destination = destination[read..];
            offset += read;
        }
    }

    private static SafeFileHandle OpenForReading(SpoolSegment segment) =>
        File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private static SafeFileHandle CreateSegmentFile(string path, string folder)
    {
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        DirectorySync.Flush(folder);
        return file;
    }

    private static void TryTruncate(SafeFileHandle file, long length)
    {
        try
        {
            RandomAccess.SetLength(file, length);
        }
        catch (IOException)
        {
            // The append fails anyway; a leftover tail is cut off when the spool is next opened.
        }
    }

    [DoesNotReturn]
    private void ThrowBatchTooLarge(int length) =>
        throw new ArgumentException($"A batch of {length} bytes can never fit the spool: Spool:MaxBytes is {_maxBytes} bytes, record header included.", "batch");

    /// <summary>
    /// A record verified when the spool was opened (or written by this process) no longer
    /// reads back: the disk changed under the gateway. Failing loudly beats replaying garbage
    /// or skipping a batch silently; docs/spool.md says what to do.
    /// </summary>
    [DoesNotReturn]
    private void ThrowCorrupt(string why) =>
        throw new InvalidDataException($"Spool segment {SpoolSegment.FileName(_readSegment.Id)} in {_folder}: the record at offset {_readOffset} cannot be read back, {why}.");
}
