using LightsOn.Gateway.Spool;
using static LightsOn.Gateway.Tests.Spool.SpoolTestBatches;

namespace LightsOn.Gateway.Tests.Spool;

public sealed class DiskSpoolTests
{
    [Fact]
    public async Task An_empty_spool_peeks_nothing_and_refuses_an_acknowledgement()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path);

        Assert.True(spool.IsEmpty);
        Assert.Equal(0, spool.Batches);
        Assert.Equal(0, spool.Bytes);
        Assert.Null(await spool.PeekOldestAsync(CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await spool.AckOldestAsync());
    }

    [Fact]
    public async Task Batches_come_back_in_append_order_across_many_segments()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path, segmentBytes: 4096);
        const int count = 300;
        long bytes = 0;
        for (int n = 0; n < count; n++)
        {
            await spool.AppendAsync(Batch(n, SizeOf(n)), CancellationToken.None);
            bytes += SpoolRecord.HeaderSize + SizeOf(n);
        }

        Assert.Equal(count, spool.Batches);
        Assert.Equal(bytes, spool.Bytes);
        Assert.True(SegmentFiles(folder.Path).Length > 30, "the test must cross many segment ends");
        for (int n = 0; n < count; n++)
        {
            await TakeAsync(spool, n, SizeOf(n));
        }

        Assert.True(spool.IsEmpty);
        Assert.Equal(0, spool.Bytes);
        Assert.Null(await spool.PeekOldestAsync(CancellationToken.None));
        Assert.Single(SegmentFiles(folder.Path));
        Assert.Equal(count, spool.Appended);
        Assert.Equal(count, spool.Replayed);
    }

    [Fact]
    public async Task Peeking_again_before_the_acknowledgement_returns_the_same_batch()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path);
        await spool.AppendAsync(Batch(1, 100), CancellationToken.None);
        await spool.AppendAsync(Batch(2, 200), CancellationToken.None);

        using (var first = await spool.PeekOldestAsync(CancellationToken.None))
        {
            Assert.Equal(100, first!.Value.Length);
        }
        await TakeAsync(spool, 1, 100);
        await TakeAsync(spool, 2, 200);
    }

    [Fact]
    public async Task An_acknowledgement_without_a_peek_removes_the_oldest_batch()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path);
        for (int n = 0; n < 3; n++)
        {
            await spool.AppendAsync(Batch(n, 3000), CancellationToken.None);
        }

        await spool.AckOldestAsync();
        await spool.AckOldestAsync();

        await TakeAsync(spool, 2, 3000);
    }

    [Fact]
    public async Task An_empty_batch_is_kept_like_any_other()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path);
        await spool.AppendAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        await spool.AppendAsync(Batch(5, 50), CancellationToken.None);

        using (var empty = await spool.PeekOldestAsync(CancellationToken.None))
        {
            Assert.Equal(0, empty!.Value.Length);
        }
        await spool.AckOldestAsync();
        await TakeAsync(spool, 5, 50);
    }

    [Fact]
    public async Task A_second_spool_on_the_same_folder_is_refused_naming_Spool_Path()
    {
        using var folder = new TempFolder();
        using var spool = await OpenAsync(folder.Path);

        var e = await Assert.ThrowsAsync<IOException>(() => OpenAsync(folder.Path));

        Assert.Contains("Spool:Path", e.Message, StringComparison.Ordinal);
    }
}
