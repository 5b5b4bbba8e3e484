using LightsOn.Gateway.Spool;
using static LightsOn.Gateway.Tests.Spool.SpoolTestBatches;

namespace LightsOn.Gateway.Tests.Spool;

public sealed class DiskSpoolRestartTests
{
    [Fact]
    public async Task A_reopened_spool_keeps_the_unacknowledged_batches_and_not_the_acknowledged_ones()
    {
        using var folder = new TempFolder();
        long bytesLeft = 0;
        using (var spool = await OpenAsync(folder.Path, segmentBytes: 4096))
        {
            for (int n = 0; n < 60; n++)
            {
                await spool.AppendAsync(Batch(n, SizeOf(n)), CancellationToken.None);
            }
            // Across several segment ends, and stopping inside a segment.
            for (int n = 0; n < 23; n++)
            {
                await TakeAsync(spool, n, SizeOf(n));
            }
            bytesLeft = spool.Bytes;
        }

        using (var reopened = await OpenAsync(folder.Path, segmentBytes: 4096))
        {
            Assert.Equal(37, reopened.Batches);
            Assert.Equal(bytesLeft, reopened.Bytes);
            Assert.Equal(0, reopened.TornRecords);
            for (int n = 23; n < 40; n++)
            {
                await TakeAsync(reopened, n, SizeOf(n));
            }
            await reopened.AppendAsync(Batch(1000, 500), CancellationToken.None);
        }

        using (var again = await OpenAsync(folder.Path, segmentBytes: 4096))
        {
            Assert.Equal(21, again.Batches);
            for (int n = 40; n < 60; n++)
            {
                await TakeAsync(again, n, SizeOf(n));
            }
            await TakeAsync(again, 1000, 500);
            Assert.True(again.IsEmpty);
        }
    }

    [Fact]
    public async Task A_drained_spool_reopens_empty_and_keeps_working()
    {
        using var folder = new TempFolder();
        using (var spool = await OpenAsync(folder.Path, segmentBytes: 4096))
        {
            for (int n = 0; n < 20; n++)
            {
                await spool.AppendAsync(Batch(n, 1000), CancellationToken.None);
            }
            for (int n = 0; n < 20; n++)
            {
                await TakeAsync(spool, n, 1000);
            }
        }

        using var reopened = await OpenAsync(folder.Path, segmentBytes: 4096);

        Assert.True(reopened.IsEmpty);
        Assert.Null(await reopened.PeekOldestAsync(CancellationToken.None));
        await reopened.AppendAsync(Batch(99, 10), CancellationToken.None);
        await TakeAsync(reopened, 99, 10);
    }

    [Fact]
    public async Task A_fully_acknowledged_segment_left_behind_by_a_crash_is_deleted_not_replayed()
    {
        using var folder = new TempFolder();
        string firstSegment;
        byte[] firstContents;
        using (var spool = await OpenAsync(folder.Path, segmentBytes: 4096))
        {
            for (int n = 0; n < 8; n++)
            {
                await spool.AppendAsync(Batch(n, 1500), CancellationToken.None);
            }
            firstSegment = SegmentFiles(folder.Path)[0];
            firstContents = File.ReadAllBytes(firstSegment);
            for (int n = 0; n < 3; n++)
            {
                await TakeAsync(spool, n, 1500);
            }
            Assert.False(File.Exists(firstSegment), "a fully acknowledged segment is deleted at once");
        }
        // As if the process died after moving the cursor on but before deleting the file.
        File.WriteAllBytes(firstSegment, firstContents);

        using var reopened = await OpenAsync(folder.Path, segmentBytes: 4096);

        Assert.False(File.Exists(firstSegment));
        Assert.Equal(5, reopened.Batches);
        await TakeAsync(reopened, 3, 1500);
    }

    [Fact]
    public async Task A_torn_cursor_write_replays_the_last_acknowledged_batch_rather_than_losing_any()
    {
        using var folder = new TempFolder();
        using (var spool = await OpenAsync(folder.Path))
        {
            for (int n = 0; n < 5; n++)
            {
                await spool.AppendAsync(Batch(n, 100), CancellationToken.None);
            }
            await TakeAsync(spool, 0, 100);
            await TakeAsync(spool, 1, 100);
        }
        // Opening saved generation 1 (slot 1), the two acknowledgements 2 (slot 0) and 3 (slot 1):
        // tear the newest slot.
        using (var cursor = File.OpenWrite(Path.Combine(folder.Path, SpoolCursor.FileName)))
        {
            cursor.Position = 512 + 20;
            cursor.WriteByte(0xFF);
        }

        using var reopened = await OpenAsync(folder.Path);

        Assert.Equal(4, reopened.Batches);
        await TakeAsync(reopened, 1, 100);
    }
}
