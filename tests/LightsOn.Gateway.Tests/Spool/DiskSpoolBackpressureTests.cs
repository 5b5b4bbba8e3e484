using LightsOn.Gateway.Spool;
using static LightsOn.Gateway.Tests.Spool.SpoolTestBatches;

namespace LightsOn.Gateway.Tests.Spool;

public sealed class DiskSpoolBackpressureTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private const int Size = 1012;
    private const int RecordBytes = SpoolRecord.HeaderSize + Size;
    private const long MaxBytes = 8 * RecordBytes;

    [Fact]
    public async Task An_append_to_a_full_spool_waits_until_an_acknowledgement_makes_room()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path, maxBytes: MaxBytes, segmentBytes: 4096);
        for (int n = 0; n < 8; n++)
        {
            await spool.AppendAsync(Batch(n, Size), CancellationToken.None);
        }
        Assert.Equal(MaxBytes, spool.Bytes);

        var append = spool.AppendAsync(Batch(8, Size), CancellationToken.None).AsTask();

        // Nothing but an acknowledgement can complete it, so this is no race.
        Assert.False(append.IsCompleted);
        Assert.Equal(8, spool.Batches);
        Assert.Equal(1, spool.FullWaits);

        await TakeAsync(spool, 0, Size);
        await append.WaitAsync(Deadline);

        Assert.Equal(8, spool.Batches);
        Assert.Equal(MaxBytes, spool.Bytes);
        for (int n = 1; n <= 8; n++)
        {
            await TakeAsync(spool, n, Size);
        }
    }

    [Fact]
    public async Task An_append_waits_until_enough_room_is_free_for_the_whole_batch()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path, maxBytes: MaxBytes, segmentBytes: 4096);
        for (int n = 0; n < 8; n++)
        {
            await spool.AppendAsync(Batch(n, Size), CancellationToken.None);
        }

        var large = spool.AppendAsync(Batch(8, 2 * Size), CancellationToken.None).AsTask();
        await TakeAsync(spool, 0, Size);

        Assert.False(large.IsCompleted);
        await TakeAsync(spool, 1, Size);
        await large.WaitAsync(Deadline);
        Assert.Equal(7, spool.Batches);
    }

    [Fact]
    public async Task A_waiting_append_that_is_cancelled_spools_nothing()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path, maxBytes: MaxBytes, segmentBytes: 4096);
        for (int n = 0; n < 8; n++)
        {
            await spool.AppendAsync(Batch(n, Size), CancellationToken.None);
        }
        using var cancel = new CancellationTokenSource();

        var append = spool.AppendAsync(Batch(8, Size), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append.WaitAsync(Deadline));
        await TakeAsync(spool, 0, Size);
        Assert.Equal(7, spool.Batches);
        Assert.Equal(7L * RecordBytes, spool.Bytes);
    }

    [Fact]
    public async Task A_batch_larger_than_the_whole_spool_is_refused_naming_Spool_MaxBytes()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path, maxBytes: MaxBytes, segmentBytes: 4096);

        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await spool.AppendAsync(new byte[MaxBytes], CancellationToken.None));

        Assert.Contains("Spool:MaxBytes", e.Message, StringComparison.Ordinal);
        Assert.True(spool.IsEmpty);
    }

    [Fact]
    public async Task A_batch_larger_than_a_segment_gets_a_segment_of_its_own()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path, maxBytes: MaxBytes, segmentBytes: 4096);

        await spool.AppendAsync(Batch(0, 100), CancellationToken.None);
        await spool.AppendAsync(Batch(1, 6000), CancellationToken.None);
        await spool.AppendAsync(Batch(2, 100), CancellationToken.None);

        Assert.Equal(3, SegmentFiles(folder.Path).Length);
        await TakeAsync(spool, 0, 100);
        await TakeAsync(spool, 1, 6000);
        await TakeAsync(spool, 2, 100);
    }
}
