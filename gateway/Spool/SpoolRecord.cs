using System.Buffers.Binary;

namespace LightsOn.Gateway.Spool;

/// <summary>
/// The on-disk record: a 12-byte header, then the batch as given. All integers little-endian.
/// <code>
/// offset 0  uint32  magic  0x3152534C ("LSR1" in file order)
/// offset 4  int32   payload length in bytes (0 .. MaxPayload)
/// offset 8  uint32  CRC-32C of the payload
/// offset 12 payload
/// </code>
/// Records follow each other with no padding; a segment file is nothing but records.
/// </summary>
internal static class SpoolRecord
{
    public const int HeaderSize = 12;
    public const uint Magic = 0x3152534C;

    /// <summary>The largest payload a record may carry, so header + payload still fit one array.</summary>
    public const int MaxPayload = 0x7FFFFFC7 - HeaderSize;

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Compute(payload));
    }

    /// <summary>Reads a header; false when it cannot start a record (wrong magic, impossible length).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int length, out uint crc)
    {
        length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        crc = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        return IsValidHeader(BinaryPrimitives.ReadUInt32LittleEndian(header), length);
    }

    public static bool IsValidHeader(uint magic, int length) => magic == Magic && length is >= 0 and <= MaxPayload;
}
