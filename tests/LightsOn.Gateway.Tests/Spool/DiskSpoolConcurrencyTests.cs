using System.Buffers.Binary;
using static LightsOn.Gateway.Tests.Spool.SpoolTestBatches;

namespace LightsOn.Gateway.Tests.Spool;

public sealed class DiskSpoolConcurrencyTests
{
    [Fact]
    public async Task An_appender_and_a_reader_at_once_deliver_every_batch_exactly_once_in_order()
    {
        const int count = 10_000;
        using var folder = new TempFolder();
        // Small segments and a small bound: the reader crosses hundreds of segment ends and the
        // appender keeps running into backpressure.
        using var spool = await OpenAsync(folder.Path, maxBytes: 64 * 1024, segmentBytes: 8 * 1024);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);

        var appender = Task.Run(async () =>
        {
            for (int n = 0; n < count; n++)
            {
                await spool.AppendAsync(Batch(n, 8 + n % 200), CancellationToken.None);
            }
        });
        var reader = Task.Run(async () =>
        {
            int expected = 0;
            while (expected < count)
            {
                using (var batch = await spool.PeekOldestAsync(CancellationToken.None))
                {
                    if (batch is not { } b)
                    {
                        Assert.True(DateTime.UtcNow < deadline, $"only {expected} of {count} batches arrived in time");
                        await Task.Yield();
                        continue;
                    }
                    Assert.Equal(expected, BinaryPrimitives.ReadInt32LittleEndian(b.Payload.Span));
                    Assert.True(b.Payload.Span.SequenceEqual(Batch(expected, 8 + expected % 200)));
                }
                await spool.AckOldestAsync();
                expected++;
            }
            return expected;
        });

        await appender.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(count, await reader.WaitAsync(TimeSpan.FromSeconds(120)));
        Assert.True(spool.IsEmpty);
        Assert.Null(await spool.PeekOldestAsync(CancellationToken.None));
        Assert.Equal(count, spool.Appended);
        Assert.Equal(count, spool.Replayed);
    }
}
