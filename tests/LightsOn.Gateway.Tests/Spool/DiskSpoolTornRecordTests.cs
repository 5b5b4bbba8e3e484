using LightsOn.Gateway.Spool;
using Microsoft.Extensions.Logging;
using static LightsOn.Gateway.Tests.Spool.SpoolTestBatches;

namespace LightsOn.Gateway.Tests.Spool;

public sealed class DiskSpoolTornRecordTests
{
    public enum Damage
    {
        PartialHeader,
        ShortPayload,
        FlippedPayloadByte,
        BrokenMagic,
    }

    private const int Size = 700;
    private const int RecordBytes = SpoolRecord.HeaderSize + Size;

    [Theory]
    [InlineData(Damage.PartialHeader, "PartialHeader")]
    [InlineData(Damage.ShortPayload, "ShortPayload")]
    [InlineData(Damage.FlippedPayloadByte, "BadChecksum")]
    [InlineData(Damage.BrokenMagic, "BadHeader")]
    public async Task A_torn_last_record_is_cut_off_and_the_records_before_it_are_kept(Damage damage, string reason)
    {
        using var folder = new TempFolder();
        using (var spool = await OpenAsync(folder.Path, segmentBytes: 1 << 20))
        {
            for (int n = 0; n < 5; n++)
            {
                await spool.AppendAsync(Batch(n, Size), CancellationToken.None);
            }
        }
        string segment = SegmentFiles(folder.Path).Single();
        Wreck(segment, 4 * RecordBytes, damage);
        long goodBytes = 4L * RecordBytes;

        var logs = new CapturingLoggerProvider();
        using var reopened = await OpenAsync(folder.Path, segmentBytes: 1 << 20, logger: logs.CreateLogger("spool"));

        Assert.Equal(1, reopened.TornRecords);
        Assert.Equal(4, reopened.Batches);
        Assert.Equal(goodBytes, reopened.Bytes);
        Assert.Equal(goodBytes, new FileInfo(segment).Length);
        var torn = Assert.Single(logs.Entries, e => e.EventId.Id == 1602);
        Assert.Equal(LogLevel.Warning, torn.Level);
        Assert.Equal(reason, torn.Properties["Reason"]?.ToString());
        Assert.Equal(goodBytes, torn.Properties["Offset"]);

        // Appends go on from the cut, and everything reads back in order.
        await reopened.AppendAsync(Batch(5, Size), CancellationToken.None);
        foreach (int n in new[] { 0, 1, 2, 3, 5 })
        {
            await TakeAsync(reopened, n, Size);
        }
        Assert.True(reopened.IsEmpty);
    }

    [Fact]
    public async Task A_corrupt_record_in_an_older_segment_ends_that_segment_and_the_newer_segments_are_kept()
    {
        using var folder = new TempFolder();
        using (var spool = await OpenAsync(folder.Path, segmentBytes: 4096))
        {
            // Five records of 712 bytes per 4096-byte segment.
            for (int n = 0; n < 12; n++)
            {
                await spool.AppendAsync(Batch(n, Size), CancellationToken.None);
            }
        }
        string[] segments = SegmentFiles(folder.Path);
        Assert.Equal(3, segments.Length);
        Wreck(segments[0], 3 * RecordBytes, Damage.FlippedPayloadByte);

        using var reopened = await OpenAsync(folder.Path, segmentBytes: 4096);

        Assert.Equal(1, reopened.TornRecords);
        Assert.Equal(10, reopened.Batches);
        foreach (int n in new[] { 0, 1, 2, 5, 6, 7, 8, 9, 10, 11 })
        {
            await TakeAsync(reopened, n, Size);
        }
    }

    [Fact]
    public async Task A_torn_record_left_by_a_crash_mid_append_is_cut_and_counted_once()
    {
        using var folder = new TempFolder();
        using (var spool = await OpenAsync(folder.Path))
        {
            await spool.AppendAsync(Batch(0, Size), CancellationToken.None);
        }
        // Half a record, as a crash during the write leaves it.
        using (var file = new FileStream(SegmentFiles(folder.Path)[0], FileMode.Append))
        {
            var header = new byte[SpoolRecord.HeaderSize];
            SpoolRecord.WriteHeader(header, Batch(1, Size));
            file.Write(header);
            file.Write(Batch(1, Size).AsSpan(0, Size / 2));
        }

        using (var reopened = await OpenAsync(folder.Path))
        {
            Assert.Equal(1, reopened.TornRecords);
            Assert.Equal(1, reopened.Batches);
        }
        using var again = await OpenAsync(folder.Path);

        Assert.Equal(0, again.TornRecords);
        await TakeAsync(again, 0, Size);
    }

    private static void Wreck(string segment, long recordStart, Damage damage)
    {
        using var file = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite);
        switch (damage)
        {
            case Damage.PartialHeader:
                file.SetLength(recordStart + 5);
                break;
            case Damage.ShortPayload:
                file.SetLength(recordStart + SpoolRecord.HeaderSize + Size - 1);
                break;
            case Damage.FlippedPayloadByte:
                file.Position = recordStart + SpoolRecord.HeaderSize + Size / 2;
                int b = file.ReadByte();
                file.Position--;
                file.WriteByte((byte)(b ^ 0x10));
                break;
            case Damage.BrokenMagic:
                file.Position = recordStart;
                file.WriteByte(0);
                break;
        }
    }
}
