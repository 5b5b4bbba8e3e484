using System.Collections.Concurrent;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Pipeline;
using LightsOn.Rules;
using Microsoft.Extensions.Time.Testing;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Pipeline;

/// <summary>
/// A shard's loop with storage held back on purpose: SOS and fall messages get their rules run,
/// and so their alerts raised, while the telemetry ahead of them waits for storage. And messages
/// run on the publisher's thread or queued keep their order.
/// </summary>
public sealed class ShardWorkerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_sos_raises_its_alert_while_storage_holds_back_the_telemetry_queued_before_it()
    {
        var registry = RegistryLoader.Parse("""
            {"communities":[{"id":"c1"}],"households":[
              {"id":"h1","community":"c1","devices":[{"id":"m1","kind":"motion"},{"id":"b1","kind":"sos"}]}]}
            """, "test");
        var household = registry.Households[0];
        var alerts = new ConcurrentQueue<AlertKind>();
        var engine = new RulesEngine(registry.Households, new FakeTimeProvider(Now), new RecordingObserver(alerts));
        var sink = new HeldSink();
        await using var worker = new ShardWorker(new RulesShard(0, registry.Households, engine), sink, new IngestCounters(), TimeSpan.FromHours(1));

        var motionSettled = new Settlement();
        var sosSettled = new Settlement();
        await worker.EnqueueAsync(Message(household, 0, DeviceKind.Motion, motionSettled), CancellationToken.None);
        await WaitUntilAsync(() => sink.Waiting);
        await worker.EnqueueAsync(Message(household, 1, DeviceKind.Sos, sosSettled), CancellationToken.None);

        await WaitUntilAsync(() => alerts.Contains(AlertKind.Sos));
        Assert.True(sink.Waiting, "storage was released before the SOS was alerted");
        Assert.False(motionSettled.Done.Task.IsCompleted);

        sink.Release();
        await motionSettled.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await sosSettled.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Stored in the order the rules saw them: the motion that waited, then the SOS.
        Assert.Equal([DeviceKind.Motion, DeviceKind.Sos], sink.Stored);
    }

    [Fact]
    public async Task Messages_run_inline_or_queued_keep_each_publishers_order_and_all_are_stored_and_settled()
    {
        var registry = RegistryLoader.Parse("""
            {"communities":[{"id":"c1"}],"households":[
              {"id":"h1","community":"c1","devices":[
                {"id":"m1","kind":"motion"},{"id":"m2","kind":"motion"},{"id":"m3","kind":"motion"},{"id":"m4","kind":"motion"}]}]}
            """, "test");
        const int Publishers = 4;
        var household = registry.Households[0];
        var engine = new RulesEngine(registry.Households, new FakeTimeProvider(Now), new RecordingObserver(new ConcurrentQueue<AlertKind>()));
        var sink = new StallingSink(stallEvery: 997);
        const int PerPublisher = 20_000;
        var settled = new CountingSettlement();
        await using (var worker = new ShardWorker(new RulesShard(0, registry.Households, engine), sink, new IngestCounters(), TimeSpan.FromMilliseconds(1), capacity: 64))
        {
            // Publishers at once (connections), each with its own device and rising seq: some of
            // their messages run on their own thread, others queue behind the loop.
            await Task.WhenAll(Enumerable.Range(0, Publishers).Select(device => Task.Run(async () =>
            {
                for (int seq = 1; seq <= PerPublisher; seq++)
                {
                    await worker.EnqueueAsync(Message(household, device, DeviceKind.Motion, settled, seq), CancellationToken.None);
                }
            })));
        }

        Assert.Equal(Publishers * PerPublisher, settled.Count);
        for (int device = 0; device < Publishers; device++)
        {
            Assert.Equal(Enumerable.Range(1, PerPublisher).Select(i => (long)i), sink.Stored.Where(p => p.Device == device).Select(p => p.Seq));
        }
    }

    private static ShardWork Message(Household household, int device, DeviceKind kind, IMessageSettlement settlement, long seq = 0)
    {
        long ms = Now.ToUnixTimeMilliseconds();
        long ticks = Now.UtcTicks;
        var point = new TelemetryPoint
        {
            Household = household,
            Device = device,
            Kind = kind,
            TimestampMs = ms,
            Fields = (kind == DeviceKind.Motion ? PointFields.State : default) | (seq > 0 ? PointFields.Seq : default),
            State = true,
            Seq = seq,
        };
        var @event = kind == DeviceKind.Sos ? TelemetryEvent.Sos(0, device, ticks) : TelemetryEvent.Motion(0, device, ticks, true);
        return ShardWork.Message(point, @event, settlement);
    }

    private sealed class RecordingObserver(ConcurrentQueue<AlertKind> alerts) : IAlertObserver
    {
        public void OnAlertChanged(Alert alert, AlertChange change) => alerts.Enqueue(alert.Kind);
    }

    /// <summary>Storage with no room for the first point until <see cref="Release"/>; room for every point after.</summary>
    private sealed class HeldSink : IPointSink
    {
        private readonly TaskCompletionSource<Task> _room = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _appends;

        public ConcurrentQueue<DeviceKind> Stored { get; } = new();

        public bool Waiting => Volatile.Read(ref _appends) > 0 && !_room.Task.IsCompleted;

        public void Release() => _room.TrySetResult(Task.CompletedTask);

        public ValueTask<Task> AppendAsync(in TelemetryPoint point)
        {
            Interlocked.Increment(ref _appends);
            var kind = point.Kind;
            if (_room.Task.IsCompleted)
            {
                Stored.Enqueue(kind);
                return new ValueTask<Task>(Task.CompletedTask);
            }
            return new ValueTask<Task>(_room.Task.ContinueWith(t =>
            {
                Stored.Enqueue(kind);
                return t.Result;
            }, TaskScheduler.Default));
        }
    }

    /// <summary>Storage that has room at once, except for every <c>stallEvery</c>-th point, which waits a moment.</summary>
    private sealed class StallingSink(int stallEvery) : IPointSink
    {
        private int _appends;

        public ConcurrentQueue<(int Device, long Seq)> Stored { get; } = new();

        public ValueTask<Task> AppendAsync(in TelemetryPoint point)
        {
            var stored = (point.Device, point.Seq);
            if (Interlocked.Increment(ref _appends) % stallEvery != 0)
            {
                Stored.Enqueue(stored);
                return new ValueTask<Task>(Task.CompletedTask);
            }
            return new ValueTask<Task>(Task.Delay(2).ContinueWith(_ =>
            {
                Stored.Enqueue(stored);
                return Task.CompletedTask;
            }, TaskScheduler.Default));
        }
    }

    private sealed class CountingSettlement : IMessageSettlement
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Complete(Task durable) => Interlocked.Increment(ref _count);

        public void Fail(Exception error) => throw new InvalidOperationException("A message failed.", error);
    }

    private sealed class Settlement : IMessageSettlement
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete(Task durable) => Done.TrySetResult();

        public void Fail(Exception error) => Done.TrySetException(error);
    }
}
