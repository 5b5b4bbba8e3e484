using System.Buffers.Binary;
using LightsOn.Gateway.Spool;
using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway.Tests.Spool;

/// <summary>Numbered batches whose every byte depends on the number, and a spool opened on a temp folder.</summary>
internal static class SpoolTestBatches
{
    /// <summary>Batch <paramref name="number"/>: the number, then <paramref name="size"/> - 4 bytes derived from it.</summary>
    public static byte[] Batch(int number, int size)
    {
        var batch = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(batch, number);
        for (int i = 4; i < size; i++)
        {
            batch[i] = (byte)(number * 31 + i * 7);
        }
        return batch;
    }

    /// <summary>Sizes that vary from batch to batch, so records straddle segment ends at many offsets.</summary>
    public static int SizeOf(int number) => 16 + (number * 97 % 1200);

    public static Task<DiskSpool> OpenAsync(string folder, long maxBytes = 1 << 20, long segmentBytes = 4096, ILogger? logger = null) =>
        DiskSpool.OpenAsync(new SpoolOptions { Path = folder, MaxBytes = maxBytes, SegmentBytes = segmentBytes }, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>Peeks the oldest batch, checks it is batch <paramref name="number"/> byte for byte, and acknowledges it.</summary>
    public static async Task TakeAsync(DiskSpool spool, int number, int size)
    {
        using (var batch = await spool.PeekOldestAsync(CancellationToken.None))
        {
            Assert.NotNull(batch);
            Assert.Equal(number, BinaryPrimitives.ReadInt32LittleEndian(batch.Value.Payload.Span));
            Assert.True(batch.Value.Payload.Span.SequenceEqual(Batch(number, size)), $"batch {number} came back changed");
        }
        await spool.AckOldestAsync();
    }

    public static string[] SegmentFiles(string folder) =>
        Directory.GetFiles(folder, "*" + SpoolSegment.Extension).Order(StringComparer.Ordinal).ToArray();
}
