using System.Buffers.Binary;
using System.Globalization;
using LightsOn.Gateway.Spool;
using Microsoft.Win32.SafeHandles;

namespace LightsOn.Gateway.Webhooks;

internal sealed partial class WebhookOutbox
{
    /// <summary>
    /// Opens (creating if need be) the outbox in <paramref name="folder"/>: reads the cursor,
    /// checks every record of every segment, cuts a segment at its first torn record (a crash
    /// mid-append), deletes segments already done, and starts a fresh segment for new events.
    /// </summary>
    public static WebhookOutbox Open(string folder, int maxEvents, long maxBytes, ILogger logger, string webhook)
    {
        Directory.CreateDirectory(folder);
        SafeFileHandle folderLock;
        try
        {
            // FileShare.None is an exclusive flock on Unix: two gateways appending to one outbox
            // would interleave records and each deliver the other's events.
            folderLock = File.OpenHandle(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the outbox '{folder}' is in use by another process (it holds {LockFileName}).", e);
        }
        var outbox = new WebhookOutbox(folder, maxEvents, maxBytes, logger, webhook, folderLock);
        try
        {
            outbox.Recover();
        }
        catch
        {
            outbox.Dispose();
            throw;
        }
        return outbox;
    }

    private void Recover()
    {
        _cursor = ReadCursor();
        long lastSequence = _cursor;
        long lastNumber = 0;
        var numbers = Directory.EnumerateFiles(_folder, "*" + SegmentExtension)
            .Select(path => long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 0)
            .Where(n => n > 0)
            .Order()
            .ToList();
        foreach (long number in numbers)
        {
            string path = Path.Combine(_folder, number.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension);
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            var segment = new Segment(number, path, handle);
            _segments.Add(number, segment);
            lastNumber = number;
            lastSequence = Scan(segment, lastSequence);
        }
        _nextSequence = lastSequence + 1;
        StartSegment(lastNumber + 1);
        DropBeyondBounds();
        DeleteDoneSegments();
    }

    /// <summary>Queues the segment's records past the cursor; returns the last sequence seen.</summary>
    private long Scan(Segment segment, long lastSequence)
    {
        long fileLength = RandomAccess.GetLength(segment.Handle);
        if (fileLength > int.MaxValue)
        {
            throw new IOException($"Webhook outbox segment {segment.Path} is {fileLength} bytes, far past any segment the gateway writes.");
        }
        var data = new byte[fileLength];
        int read = ReadAt(segment.Handle, data, 0);
        int offset = 0;
        while (offset < read)
        {
            if (!TryDecode(data.AsSpan(offset, read - offset), out var record, out int size) || (record.Sequence > _cursor && record.Sequence <= lastSequence))
            {
                // A crash mid-append leaves a partial record at the end; anything after it was
                // never acknowledged to the sender, so the segment ends here.
                _logger.WebhookOutboxTornRecord(_webhook, segment.Number, offset, read - offset);
                RandomAccess.SetLength(segment.Handle, offset);
                break;
            }
            if (record.Sequence > _cursor)
            {
                _pending.Enqueue(new Entry(record.Sequence, segment.Number, offset, size));
                _pendingBytes += size;
            }
            lastSequence = Math.Max(lastSequence, record.Sequence);
            segment.LastSequence = record.Sequence;
            offset += size;
        }
        segment.Length = offset;
        return lastSequence;
    }

    private long ReadCursor()
    {
        string path = Path.Combine(_folder, CursorFileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
        if (bytes.Length == CursorBytes && Crc32C.Compute(bytes.AsSpan(0, 8)) == BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)))
        {
            return BinaryPrimitives.ReadInt64LittleEndian(bytes);
        }
        // Sending everything on disk again is the safe side: receivers de-duplicate on event ids.
        _logger.WebhookOutboxCursorUnreadable(_webhook, path);
        return 0;
    }
}
