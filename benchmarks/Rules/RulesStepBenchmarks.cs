using BenchmarkDotNet.Attributes;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.Rules;

/// <summary>
/// The rules step of the hot path: one shard applying a steady-state event mix. Reported per
/// event. Budget (design.md, Targets): decode + validate + rules >= 1,000,000 events/s on one
/// core, so this step alone must stay well under 1,000 ns/event, and 0 B allocated per event.
/// </summary>
/// <remarks>
/// Simulated time moves with the events: 1 µs of event time per event (the target rate) and an
/// <see cref="RulesEngine.Advance()"/> every 10,000 events with the clock 10 ms on, as the
/// gateway's heartbeat would. One invocation is one simulated second. The scenario holds for 30
/// simulated minutes (the heartbeat timeout of devices the mix does not reach), far more than a
/// short job takes; the cleanup reports any alert raised, which would void the numbers.
/// </remarks>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RulesStepBenchmarks
{
    public const int EventsPerInvoke = 1_000_000;
    private const int AdvanceEvery = 10_000;
    private const long TicksPerEvent = TimeSpan.TicksPerMicrosecond;

    // 10:00 in Shanghai: no 亮灯 or morning deadline and no night for hours.
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    private ManualClock _clock = null!;
    private CountingObserver _observer = null!;
    private RulesEngine _engine = null!;
    private TelemetryEvent[] _events = null!;
    private long _ticks;

    [Params(100_000, 1_000_000)]
    public int Households { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var households = SyntheticRegistry.Load(Households).Households;
        _clock = new ManualClock(Start.UtcTicks);
        _ticks = Start.UtcTicks;
        _observer = new CountingObserver();
        _engine = new RulesEngine(households, _clock, _observer);
        _events = SyntheticTraffic.Events(households, EventsPerInvoke);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // MemoryDiagnoser divides by a million events, which would round a few stray bytes per
        // invocation away: count one more pass to the byte.
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        ProcessEvent();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine($"// rules step: {allocated} B allocated over {EventsPerInvoke:N0} events and {EventsPerInvoke / AdvanceEvery} Advance calls");
        var simulated = TimeSpan.FromTicks(_ticks - Start.UtcTicks);
        Console.WriteLine($"// rules step: {Households:N0} households, {simulated.TotalMinutes:0.0} simulated minutes, " +
            $"{_observer.Changes} alert changes, {_engine.OpenAlertCount} open alerts");
        if (_observer.Changes != 0)
        {
            Console.WriteLine("// WARNING: alerts were raised; the steady-state numbers above are not valid.");
        }
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public void ProcessEvent()
    {
        var engine = _engine;
        var clock = _clock;
        var events = _events;
        long ticks = _ticks;
        for (int block = 0; block < events.Length; block += AdvanceEvery)
        {
            int end = Math.Min(block + AdvanceEvery, events.Length);
            for (int i = block; i < end; i++)
            {
                // Stamping a copy is what the decoder does; it costs a few ns of the total.
                ref readonly var t = ref events[i];
                ticks += TicksPerEvent;
                engine.Process(new TelemetryEvent(t.Household, t.Device, t.Kind, ticks, t.State, t.Confidence, t.Battery));
            }
            clock.UtcTicks = ticks;
            engine.Advance();
        }
        _ticks = ticks;
    }
}
