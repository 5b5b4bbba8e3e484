using System.Buffers;
using System.Text;
using LightsOn.Gateway.Storage;
using LightsOn.Rules;
using Microsoft.AspNetCore.Http;
using static LightsOn.Gateway.Tests.Storage.StoragePoints;

namespace LightsOn.Gateway.Tests.Storage;

/// <summary>The writer against a fake InfluxDB on loopback: the 2.x API, refusals, server errors, slow answers.</summary>
public sealed class InfluxWriterFaultTests : IAsyncLifetime
{
    private static readonly Household H = Household();
    private FakeInfluxServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeInfluxServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>One batch or several (an idle sender may take a first point alone): together the writes carry exactly the points.</summary>
    private static void AssertCarryExactly(LightsOn.Gateway.Ingest.TelemetryPoint[] points, IEnumerable<FakeInfluxServer.Request> writes) =>
        Assert.Equal(
            Lines(points).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(),
            writes.SelectMany(w => w.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Order());

    private IEnumerable<FakeInfluxServer.Request> Writes => _server.Requests.Where(r => r.PathAndQuery.Contains("write", StringComparison.Ordinal));

    private static string Lines(params LightsOn.Gateway.Ingest.TelemetryPoint[] points)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var point in points)
        {
            LineProtocolEncoder.WriteTelemetry(buffer, point);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public async Task The_1x_api_creates_the_database_at_start_and_posts_line_protocol_to_write_with_ms_precision_gzipped_past_4_KiB()
    {
        await using var test = await TestWriter.StartAsync(TestWriter.Options(_server.Url, "lightson"));
        // A few small batches (the idle send loops take the first points at once), then one
        // that gathers the rest while they are busy.
        var points = Enumerable.Range(0, 200).Select(i => Door(H, T0 + i, i % 2 == 0, i + 1)).ToArray();

        var appended = new List<Task>();
        foreach (var point in points)
        {
            appended.Add(await test.Writer.AppendAsync(point));
        }
        await Task.WhenAll(appended);

        // The database is created in the background at start, so the start does not wait for InfluxDB.
        await TestWriter.EventuallyAsync(() => Task.FromResult(_server.Requests.Any(r => r.PathAndQuery.StartsWith("/query", StringComparison.Ordinal))), "CREATE DATABASE");
        var create = Assert.Single(_server.Requests, r => r.PathAndQuery.StartsWith("/query", StringComparison.Ordinal));
        Assert.Equal("POST", create.Method);
        Assert.Equal("/query?q=CREATE%20DATABASE%20%22lightson%22", create.PathAndQuery);
        Assert.All(Writes, write =>
        {
            Assert.Equal("POST", write.Method);
            Assert.Equal("/write?db=lightson&precision=ms", write.PathAndQuery);
            // Compressing a few lines costs more than sending them.
            Assert.Equal(write.Body.Length >= 4096, write.Gzipped);
            Assert.Equal("", write.Authorization);
        });
        Assert.Contains(Writes, write => write.Gzipped);
        AssertCarryExactly(points, Writes);
    }

    [Fact]
    public async Task The_2x_api_posts_line_protocol_to_the_bucket_with_the_token_and_creates_nothing()
    {
        var options = TestWriter.Options(_server.Url, "unused");
        options.Org = "district 7";
        options.Bucket = "lightson";
        options.Token = "s3cr=t";
        await using var test = await TestWriter.StartAsync(options);
        var points = new[] { Sos(H, T0, 3), Status(H, 0, T0 + 1, battery: 12) };

        await Task.WhenAll(await test.Writer.AppendAsync(points[0]), await test.Writer.AppendAsync(points[1]));

        var writes = _server.Requests.ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, write =>
        {
            Assert.Equal("POST", write.Method);
            Assert.Equal("/api/v2/write?org=district%207&bucket=lightson&precision=ms", write.PathAndQuery);
            Assert.Equal("Token s3cr=t", write.Authorization);
            Assert.False(write.Gzipped);
        });
        AssertCarryExactly(points, writes);
    }

    [Fact]
    public async Task A_batch_InfluxDB_refuses_with_400_is_settled_without_a_retry()
    {
        _server.Respond = r => r.PathAndQuery.StartsWith("/write", StringComparison.Ordinal) ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        var spool = new InMemoryBatchSpool();
        await using var test = await TestWriter.StartAsync(TestWriter.Options(_server.Url, "lightson"), spool);

        var done = await test.Writer.AppendAsync(Door(H, T0, true));
        await test.Writer.FlushAsync();
        await done;

        Assert.Single(Writes);
        Assert.Equal(0, test.Writer.Metrics.Retries);
        Assert.Equal(1, test.Writer.Metrics.PointsRejected);
        Assert.Equal(0, spool.Appended);
        var warning = Assert.Single(test.Logs.Entries, e => e.EventId.Id == 1504);
        Assert.Equal(1, warning.Properties["Points"]);
    }

    [Fact]
    public async Task A_server_error_is_retried_until_InfluxDB_takes_the_batch()
    {
        int writes = 0;
        _server.Respond = r => !r.PathAndQuery.StartsWith("/write", StringComparison.Ordinal) ? 200
            : Interlocked.Increment(ref writes) <= 2 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status204NoContent;
        var spool = new InMemoryBatchSpool();
        var options = TestWriter.Options(_server.Url, "lightson");
        // A budget no slow machine runs out of: this test is about retrying, not spooling.
        options.RetryBudget = TimeSpan.FromSeconds(30);
        await using var test = await TestWriter.StartAsync(options, spool);

        await await test.Writer.AppendAsync(Door(H, T0, true));

        Assert.Equal(3, Writes.Count());
        Assert.All(Writes, w => Assert.Equal(Lines(Door(H, T0, true)), w.Body));
        Assert.Equal(2, test.Writer.Metrics.Retries);
        Assert.Equal(1, test.Writer.Metrics.PointsWritten);
        Assert.Equal(0, spool.Appended);
        Assert.True(test.Writer.IsReachable);
    }

    [Fact]
    public async Task Appends_wait_while_every_batch_buffer_is_full_or_in_flight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Gate = release.Task;
        var options = TestWriter.Options(_server.Url, "lightson");
        options.BatchSize = 1;
        options.Concurrency = 1;
        var test = await TestWriter.StartAsync(options);
        try
        {
            // Concurrency + 1 buffers: one in flight (held by the server), one sealed and waiting.
            var first = await test.Writer.AppendAsync(Door(H, T0, true));
            var second = await test.Writer.AppendAsync(Door(H, T0 + 1, true));
            var third = test.Writer.AppendAsync(Door(H, T0 + 2, true));

            Assert.False(third.IsCompleted);
            Assert.False(first.IsCompleted);
            release.SetResult();
            await Task.WhenAll(first, second, await third);
            Assert.Equal(3, test.Writer.Metrics.PointsWritten);
        }
        finally
        {
            release.TrySetResult();
            await test.DisposeAsync();
        }
    }

    [Fact]
    public async Task Appending_to_a_batch_allocates_nothing_per_point()
    {
        var options = TestWriter.Options(_server.Url, "lightson");
        options.FlushInterval = TimeSpan.FromMinutes(1);
        options.BatchSize = 10_000;
        await using var test = await TestWriter.StartAsync(options);
        var points = new[] { Door(H, T0, true, 1), Light(H, T0, true, 3.5, 2), Status(H, 1, T0, 55, -70, 4) };
        await test.Writer.AppendAsync(points[0]);
        // The least of several rounds: JIT tiering may allocate once while the code warms up;
        // a per-point allocation would show in every round.
        long allocated = long.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                var appended = test.Writer.AppendAsync(points[i % points.Length]);
                Assert.True(appended.IsCompletedSuccessfully);
                await appended;
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        await test.Writer.FlushAsync();
        await TestWriter.EventuallyAsync(() => Task.FromResult(test.Writer.Metrics.PointsWritten == 5001), "every point written");
    }

    [Fact]
    public async Task A_lone_point_is_sent_after_the_commit_delay_while_a_sender_is_idle_without_waiting_for_the_flush_interval()
    {
        // The fake clock moves only in commit-delay steps and never reaches the flush interval:
        // only group commit (an idle sender takes the batch once it is CommitDelay old) can send
        // this point.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddMilliseconds(T0));
        var options = TestWriter.Options(_server.Url, "lightson");
        options.FlushInterval = TimeSpan.FromMinutes(1);
        await using var test = await TestWriter.StartAsync(options, time: time);

        var done = await test.Writer.AppendAsync(Door(H, T0, true));

        // Stepped until it goes: the flush timer may not be armed yet when the clock first moves.
        for (int step = 0; !done.IsCompleted && step < 500; step++)
        {
            time.Advance(options.CommitDelay);
            await Task.WhenAny(done, Task.Delay(20));
        }
        await done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(time.GetUtcNow() - DateTimeOffset.UnixEpoch.AddMilliseconds(T0) < options.FlushInterval);
        Assert.Single(Writes);
        Assert.Equal(1, test.Writer.Metrics.PointsAppended);
    }

    [Fact]
    public async Task A_batch_InfluxDB_keeps_failing_goes_to_the_spool_and_is_replayed_when_InfluxDB_answers()
    {
        bool down = true;
        _server.Respond = r => !r.PathAndQuery.StartsWith("/write", StringComparison.Ordinal) ? 200
            : Volatile.Read(ref down) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status204NoContent;
        var spool = new InMemoryBatchSpool();
        await using var test = await TestWriter.StartAsync(TestWriter.Options(_server.Url, "lightson"), spool);

        await await test.Writer.AppendAsync(Door(H, T0, true));
        Assert.Equal(1, spool.Appended);
        Assert.Equal(Lines(Door(H, T0, true)), Encoding.UTF8.GetString(Assert.Single(spool.Held)));
        Assert.False(test.Writer.IsReachable);

        // While the spool holds a batch, later batches queue behind it rather than overtake it.
        await await test.Writer.AppendAsync(Door(H, T0 + 1, false));
        Assert.Equal(2, spool.Appended);

        Volatile.Write(ref down, false);
        await TestWriter.EventuallyAsync(() => Task.FromResult(spool.IsEmpty), "the spool to be replayed");
        var bodies = Writes.Where(w => w.Body.Length > 0).Select(w => w.Body).Distinct().ToList();
        Assert.Equal([Lines(Door(H, T0, true)), Lines(Door(H, T0 + 1, false))], bodies);
        Assert.Equal(2, spool.Acked);
        Assert.Equal(2, test.Writer.Metrics.BatchesReplayed);
        Assert.True(test.Writer.IsReachable);
    }
}
