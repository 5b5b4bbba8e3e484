using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Rules;
using Xunit.Abstractions;
using static LightsOn.Gateway.Tests.Storage.StoragePoints;

namespace LightsOn.Gateway.Tests.Storage;

/// <summary>InfluxDB going away mid-stream and coming back: an influxd of its own, stopped and started.</summary>
public sealed class InfluxOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly InfluxDbServer _influx = new();

    public async Task InitializeAsync() => await _influx.StartAsync();

    public async Task DisposeAsync() => await _influx.DisposeAsync();

    [Fact]
    public async Task Points_written_while_InfluxDB_is_stopped_are_spooled_and_all_present_once_it_is_back()
    {
        const int total = 3000;
        var options = TestWriter.Options(_influx.Url, "lightson");
        options.BatchSize = 100;
        var spool = new InMemoryBatchSpool();
        await using var test = await TestWriter.StartAsync(options, spool);
        var households = Enumerable.Range(0, 20).Select(i => Household($"h{i:D4}")).ToArray();

        int appended = 0;
        // The stream holds at two thirds until InfluxDB is back, so it spans the outage.
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producer = Task.Run(async () =>
        {
            var pending = new HashSet<Task>();
            for (int n = 0; n < total; n++)
            {
                if (n == 2 * total / 3)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                    await resume.Task;
                }
                pending.Add(await test.Writer.AppendAsync(Light(households[n % households.Length], T0 + n, on: n % 3 == 0, lux: n / 10.0, seq: n)));
                Volatile.Write(ref appended, n + 1);
                if (n % 50 == 49)
                {
                    // Paces the stream on durability, as the broker does: in InfluxDB or in the spool.
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
            }
            await Task.WhenAll(pending);
        });

        await TestWriter.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref appended) >= total / 3 || producer.IsCompleted), "a third of the points");
        await _influx.StopAsync();
        await TestWriter.EventuallyAsync(() => Task.FromResult(spool.Appended > 0 || producer.IsCompleted), "a batch in the spool");
        await TestWriter.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref appended) >= 2 * total / 3 || producer.IsCompleted), "two thirds of the points");
        Assert.False(test.Writer.IsReachable);
        Assert.False(producer.IsCompleted, "The stream must still be running when InfluxDB comes back.");
        await _influx.StartAsync();
        resume.SetResult();
        await producer;

        await TestWriter.EventuallyAsync(async () => spool.IsEmpty && await _influx.CountAsync("telemetry") >= total, "every point in InfluxDB", seconds: 30);
        Assert.Equal(total, await _influx.CountAsync("telemetry"));
        var seqs = await _influx.QueryAsync("SELECT COUNT(seq), SUM(seq) FROM telemetry");
        var row = seqs.GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(total, row[1].GetInt64());
        Assert.Equal((long)total * (total - 1) / 2, row[2].GetInt64());
        Assert.True(spool.Appended > 0);
        Assert.Equal(spool.Appended, spool.Acked);
        Assert.Equal(spool.Appended, test.Writer.Metrics.BatchesReplayed);
        Assert.True(test.Writer.IsReachable);
        output.WriteLine($"{spool.Appended} batches spooled and replayed; {test.Writer.Metrics.Retries} retries, {test.Writer.Metrics.Failures} failed requests");
    }
}
