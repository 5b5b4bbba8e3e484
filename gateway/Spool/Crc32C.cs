using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace LightsOn.Gateway.Spool;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every spool record.
/// Chosen over the zlib CRC-32 because x64 (SSE4.2) and Arm64 compute it in hardware at
/// several GB/s, so checking a batch costs far less than writing it; System.IO.Hashing
/// would be a package reference for one function.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;

    private static readonly uint[] Table = CreateTable();

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>The checksum of a (possibly multi-segment) sequence, as read by a PipeReader.</summary>
    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return Compute(data.FirstSpan);
        }
        uint crc = ~0u;
        foreach (var segment in data)
        {
            crc = Append(crc, segment.Span);
        }
        return ~crc;
    }

    /// <summary>Continues a running (pre- and post-inverted by the caller) checksum over more bytes.</summary>
    internal static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong crc64 = crc;
            while (data.Length >= sizeof(ulong))
            {
                crc64 = Sse42.X64.Crc32(crc64, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }
            crc = (uint)crc64;
            foreach (byte b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }
            return crc;
        }
        if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= sizeof(ulong))
            {
                crc = Crc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }
            foreach (byte b in data)
            {
                crc = Crc32.ComputeCrc32C(crc, b);
            }
            return crc;
        }
        return AppendPortable(crc, data);
    }

    /// <summary>The table-driven path for CPUs without a CRC-32C instruction (internal: tests compare it).</summary>
    internal static uint AppendPortable(uint crc, ReadOnlySpan<byte> data)
    {
        ref uint table = ref MemoryMarshal.GetArrayDataReference(Table);
        foreach (byte b in data)
        {
            crc = Unsafe.Add(ref table, (int)((crc ^ b) & 0xFF)) ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint crc = i;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }
            table[i] = crc;
        }
        return table;
    }
}
