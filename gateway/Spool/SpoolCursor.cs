using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace LightsOn.Gateway.Spool;

/// <summary>
/// The persisted read position: the segment and byte offset of the oldest unacknowledged
/// record, kept in the file <c>cursor</c> next to the segments.
/// </summary>
/// <remarks>
/// Two 32-byte slots (offsets 0 and 512, so in different disk sectors) are written in turn,
/// each with a generation number and a CRC-32C; the valid slot with the higher generation
/// wins. A write torn by a crash therefore leaves the previous position readable, with no
/// file created, renamed or allocated per acknowledgement. The slot is not fsynced: after a
/// power failure the position may be a few acknowledgements old and those batches are
/// replayed (at-least-once, harmless because InfluxDB overwrites identical points). After a
/// process crash the page cache still holds it, so nothing is replayed.
/// <code>
/// slot: uint32 magic 0x3143534C ("LSC1") | int64 generation | int64 segment | int64 offset | uint32 CRC-32C of the 28 bytes before
/// </code>
/// </remarks>
internal sealed class SpoolCursor : IDisposable
{
    public const string FileName = "cursor";
    private const uint Magic = 0x3143534C;
    private const int SlotSize = 32;
    private const int SlotStride = 512;

    private readonly SafeFileHandle _file;
    private long _generation;

    private SpoolCursor(SafeFileHandle file, long generation)
    {
        _file = file;
        _generation = generation;
    }

    /// <summary>Opens (or creates) the cursor file; <paramref name="position"/> is null when none was ever saved or both slots are unreadable.</summary>
    public static SpoolCursor Open(string folder, out (long Segment, long Offset)? position)
    {
        var file = File.OpenHandle(System.IO.Path.Combine(folder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        Span<byte> slots = stackalloc byte[SlotStride + SlotSize];
        slots.Clear();
        int read = 0;
        while (read < slots.Length)
        {
            int n = RandomAccess.Read(file, slots[read..], read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }

        position = null;
        long best = 0;
        for (int slot = 0; slot < 2; slot++)
        {
            var bytes = slots.Slice(slot * SlotStride, SlotSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) == Magic
                && BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]) == Crc32C.Compute(bytes[..28]))
            {
                long generation = BinaryPrimitives.ReadInt64LittleEndian(bytes[4..]);
                if (position is null || generation > best)
                {
                    best = generation;
                    position = (BinaryPrimitives.ReadInt64LittleEndian(bytes[12..]), BinaryPrimitives.ReadInt64LittleEndian(bytes[20..]));
                }
            }
        }
        return new SpoolCursor(file, best);
    }

    /// <summary>Records that everything before <paramref name="offset"/> in <paramref name="segment"/> (and every older segment) is acknowledged.</summary>
    public void Save(long segment, long offset)
    {
        long generation = ++_generation;
        Span<byte> bytes = stackalloc byte[SlotSize];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[4..], generation);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[12..], segment);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[20..], offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[28..], Crc32C.Compute(bytes[..28]));
        RandomAccess.Write(_file, bytes, (generation & 1) * SlotStride);
    }

    public void Dispose() => _file.Dispose();
}
