using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.Rules;

/// <summary>
/// Starting a shard over a million households (what the gateway does at start-up and on a
/// registry reload), and what it keeps. Design.md budget: 1,000,000 households tracked in
/// under 1 GiB of gateway memory, registry included. A few cold iterations are enough for a
/// one-off cost measured in hundreds of milliseconds.
/// </summary>
/// <remarks>
/// MemoryDiagnoser's "Allocated" counts every byte allocated while constructing, garbage
/// included; the retained sizes (registry, engine) are printed to the log as "// memory:" lines,
/// measured with a full collection before and after.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class EngineConstructionBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    private Household[] _households = null!;
    private ManualClock _clock = null!;
    private CountingObserver _observer = null!;
    private RulesEngine? _engine;
    private long _before;

    [Params(1_000_000)]
    public int Households { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        _households = SyntheticRegistry.Households(Households);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// memory: registry of {Households:N0} households retains {Mib(after - before)} MiB");
        _clock = new ManualClock(Start.UtcTicks);
        _observer = new CountingObserver();
    }

    [IterationSetup]
    public void BeforeEach()
    {
        _engine = null;
        _before = GC.GetTotalMemory(forceFullCollection: true);
    }

    [IterationCleanup]
    public void AfterEach()
    {
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// memory: engine over {_engine!.HouseholdCount:N0} households retains {Mib(after - _before)} MiB " +
            $"(GC heap now {Mib(after)} MiB, process working set {Mib(Environment.WorkingSet)} MiB)");
        _engine = null;
    }

    [Benchmark]
    public RulesEngine Construct()
    {
        _engine = new RulesEngine(_households, _clock, _observer);
        return _engine;
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
