using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.Rules;

/// <summary>
/// The worst burst of deadlines a shard meets: every household of a district shares the
/// 20:00 亮灯 deadline, so one <see cref="RulesEngine.Advance()"/> evaluates them all at once.
/// Design.md: a deadline fires within 1 s of when it is due, so this one call must stay well
/// under a second for a shard's whole population.
/// </summary>
/// <remarks>
/// Every household switched a light on at 16:30, so the evaluation raises nothing and the
/// measurement is the sweep itself: collect, judge the window, roll it to tomorrow, re-arm.
/// Devices get a 10-hour heartbeat so that no device-offline deadline falls in the four
/// simulated hours skipped between the events and the deadline. Each iteration builds a fresh
/// shard (not measured) because the deadline can only pass once.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class EveningDeadlineBenchmarks
{
    // Shanghai is UTC+8 all year: 15:59 local, just before the 16:00-20:00 window opens.
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 7, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LightsOn = new(2026, 11, 23, 8, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private IReadOnlyList<Household> _households = null!;
    private ManualClock _clock = null!;
    private CountingObserver _observer = null!;
    private RulesEngine _engine = null!;

    [Params(100_000, 1_000_000)]
    public int Households { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _households = SyntheticRegistry.Load(Households, heartbeatMinutes: 600).Households;
        _observer = new CountingObserver();
    }

    [IterationSetup]
    public void BeforeEach()
    {
        _engine = null!;
        _clock = new ManualClock(Start.UtcTicks);
        _engine = new RulesEngine(_households, _clock, _observer);
        _clock.UtcTicks = LightsOn.UtcTicks;
        for (int h = 0; h < _households.Count; h++)
        {
            _engine.Process(TelemetryEvent.Light(h, SyntheticRegistry.Light, LightsOn.UtcTicks, on: true));
            _engine.Process(TelemetryEvent.Light(h, SyntheticRegistry.Light, LightsOn.UtcTicks + TimeSpan.TicksPerMinute, on: false));
        }
        _engine.Advance();
        // The gateway's heartbeat ticks every 100 ms: the first Advance at or after 20:00.
        _clock.UtcTicks = Deadline.UtcTicks + TimeSpan.TicksPerMillisecond * 50;
    }

    [IterationCleanup]
    public void AfterEach()
    {
        Console.WriteLine($"// 20:00 burst: {Households:N0} households, {_observer.Changes} alert changes so far, " +
            $"next deadline of household 0 at {new DateTimeOffset(_engine.ScheduledDue(0), TimeSpan.Zero):u}");
    }

    [Benchmark]
    public void AdvancePastEveningDeadline() => _engine.Advance();
}
