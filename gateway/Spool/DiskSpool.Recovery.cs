using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace LightsOn.Gateway.Spool;

internal sealed partial class DiskSpool
{
    /// <summary>Why a record was cut off when the spool was opened.</summary>
    internal enum TornReason
    {
        PartialHeader,
        BadHeader,
        ShortPayload,
        BadChecksum,
    }

    private enum ScanStep
    {
        Record,
        NeedMore,
        End,
        Torn,
    }

    /// <summary>
    /// Opens the spool in <see cref="SpoolOptions.ResolvedPath"/> (creating it if needed) and
    /// recovers what a previous run left: segments before the persisted cursor are deleted,
    /// every complete record after it is kept, and a torn or corrupt record ends its segment
    /// there (the file is truncated, and the count is logged and kept in <see cref="TornRecords"/>).
    /// </summary>
    /// <exception cref="IOException">The folder is in use by another gateway, or cannot be read or written.</exception>
    public static async Task<DiskSpool> OpenAsync(SpoolOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBytes, SpoolRecord.HeaderSize + 1, "Spool:MaxBytes");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentBytes, SpoolRecord.HeaderSize + 1, "Spool:SegmentBytes");

        string folder = options.ResolvedPath;
        Directory.CreateDirectory(folder);
        SafeFileHandle folderLock;
        try
        {
            // FileShare.None is an exclusive flock on Unix: two gateways on one spool would
            // replay each other's batches and delete each other's segments.
            folderLock = File.OpenHandle(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"Spool:Path '{folder}' is in use by another process (it holds {LockFileName}).", e);
        }

        SpoolCursor? cursor = null;
        Recovered? recovered = null;
        try
        {
            cursor = SpoolCursor.Open(folder, out var position);
            recovered = await RecoverAsync(folder, position, logger, cancellationToken).ConfigureAwait(false);
            var spool = new DiskSpool(options, logger, folderLock, cursor, recovered);
            spool.MoveReaderPastFinishedSegments();
            cursor.Save(spool._readSegment.Id, spool._readOffset);
            logger.SpoolOpened(folder, recovered.Batches, recovered.Bytes, recovered.Segments, recovered.TornRecords);
            return spool;
        }
        catch
        {
            recovered?.TailFile.Dispose();
            cursor?.Dispose();
            folderLock.Dispose();
            throw;
        }
    }

    private static async Task<Recovered> RecoverAsync(string folder, (long Segment, long Offset)? position, ILogger logger, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        foreach (string path in Directory.EnumerateFiles(folder, "*" + SpoolSegment.Extension))
        {
            if (SpoolSegment.TryParseId(Path.GetFileName(path), out long id))
            {
                ids.Add(id);
            }
        }
        ids.Sort();

        long cursorSegment = position?.Segment ?? 0;
        long headOffset = position?.Offset ?? 0;
        int first = 0;
        while (first < ids.Count && ids[first] < cursorSegment)
        {
            // Fully acknowledged; a crash came between moving the cursor and deleting the file.
            File.Delete(Path.Combine(folder, SpoolSegment.FileName(ids[first])));
            first++;
        }
        if (first == ids.Count || ids[first] != cursorSegment)
        {
            // The cursor's own segment is gone (deleted after the cursor moved on, before the
            // move reached the disk): nothing of the next one was acknowledged.
            headOffset = 0;
        }

        var result = new Recovered();
        SpoolSegment? previous = null;
        for (int i = first; i < ids.Count; i++)
        {
            var segment = new SpoolSegment(ids[i], Path.Combine(folder, SpoolSegment.FileName(ids[i])));
            var scan = await ScanAsync(segment.Path, i == first ? headOffset : 0, cancellationToken).ConfigureAwait(false);
            if (scan.Torn is { } reason)
            {
                logger.SpoolTornRecord(segment.Id, scan.End, reason, scan.FileLength - scan.End);
                Truncate(segment.Path, scan.End);
                result.TornRecords++;
            }
            segment.Length = scan.End;
            result.Bytes += scan.End - scan.Start;
            result.Batches += scan.Records;
            result.Segments++;
            if (previous is null)
            {
                result.Head = segment;
                result.HeadOffset = scan.Start;
            }
            else
            {
                previous.Sealed = true;
                previous.Next = segment;
            }
            previous = segment;
        }

        if (previous is null)
        {
            long id = Math.Max(cursorSegment, ids.Count == 0 ? 0 : ids[^1]) + 1;
            previous = new SpoolSegment(id, Path.Combine(folder, SpoolSegment.FileName(id)));
            result.TailFile = CreateSegmentFile(previous.Path, folder);
            result.Head = previous;
            result.HeadOffset = 0;
            result.Segments++;
        }
        else
        {
            result.TailFile = File.OpenHandle(previous.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        }
        result.Tail = previous;
        return result;
    }

    /// <summary>
    /// Reads a segment's records from <paramref name="start"/> through a PipeReader, checking
    /// each header and checksum, up to the end of the file or the first record that is not
    /// whole and intact.
    /// </summary>
    private static async ValueTask<SegmentScan> ScanAsync(string path, long start, CancellationToken cancellationToken)
    {
        // No FileStream buffer: the pipe is the buffer.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            long fileLength = stream.Length;
            start = Math.Min(start, fileLength);
            stream.Position = start;
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
            long position = start;
            int records = 0;
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var buffer = result.Buffer;
                    ScanStep step;
                    TornReason reason;
                    try
                    {
                        while ((step = NextRecord(ref buffer, fileLength - position, out long recordBytes, out reason)) == ScanStep.Record)
                        {
                            position += recordBytes;
                            records++;
                        }
                    }
                    finally
                    {
                        // Consumed: the whole records. Examined: everything read, so that for a
                        // record split across reads the next ReadAsync waits for more bytes
                        // instead of returning the same partial record again.
                        reader.AdvanceTo(buffer.Start, result.Buffer.End);
                    }

                    if (step == ScanStep.End)
                    {
                        return new SegmentScan(start, position, records, fileLength, null);
                    }
                    if (step == ScanStep.Torn)
                    {
                        return new SegmentScan(start, position, records, fileLength, reason);
                    }
                    if (result.IsCompleted)
                    {
                        // The file was shorter than its length said: treat the rest as torn.
                        return new SegmentScan(start, position, records, fileLength, TornReason.ShortPayload);
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    private static ScanStep NextRecord(ref ReadOnlySequence<byte> buffer, long bytesLeftInFile, out long recordBytes, out TornReason reason)
    {
        recordBytes = 0;
        reason = default;
        if (bytesLeftInFile == 0)
        {
            return ScanStep.End;
        }
        if (bytesLeftInFile < SpoolRecord.HeaderSize)
        {
            reason = TornReason.PartialHeader;
            return ScanStep.Torn;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadLittleEndian(out int magic)
            || !reader.TryReadLittleEndian(out int length)
            || !reader.TryReadLittleEndian(out int crc))
        {
            return ScanStep.NeedMore;
        }
        if (!SpoolRecord.IsValidHeader(unchecked((uint)magic), length))
        {
            reason = TornReason.BadHeader;
            return ScanStep.Torn;
        }
        recordBytes = SpoolRecord.HeaderSize + (long)length;
        if (recordBytes > bytesLeftInFile)
        {
            reason = TornReason.ShortPayload;
            return ScanStep.Torn;
        }
        if (reader.Remaining < length)
        {
            return ScanStep.NeedMore;
        }
        if (Crc32C.Compute(reader.UnreadSequence.Slice(0, length)) != unchecked((uint)crc))
        {
            reason = TornReason.BadChecksum;
            return ScanStep.Torn;
        }
        buffer = buffer.Slice(recordBytes);
        return ScanStep.Record;
    }

    private static void Truncate(string path, long length)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        RandomAccess.SetLength(file, length);
        RandomAccess.FlushToDisk(file);
    }

    private readonly record struct SegmentScan(long Start, long End, int Records, long FileLength, TornReason? Torn);

    /// <summary>What <see cref="RecoverAsync"/> found: the segment chain and the depth it holds.</summary>
    private sealed class Recovered
    {
        public SpoolSegment Head { get; set; } = null!;
        public long HeadOffset { get; set; }
        public SpoolSegment Tail { get; set; } = null!;
        public SafeFileHandle TailFile { get; set; } = null!;
        public long Bytes { get; set; }
        public int Batches { get; set; }
        public int Segments { get; set; }
        public int TornRecords { get; set; }
    }
}
