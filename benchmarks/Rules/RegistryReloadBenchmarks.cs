using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LightsOn.Rules;

namespace LightsOn.Benchmarks.Rules;

/// <summary>
/// Handing a shard over to a reloaded registry (<see cref="RulesEngine.Reload"/>) while the
/// shard's lock is held, so its messages wait for this long: every household stays and is
/// carried over, the costliest case. The gateway's shards each hold a share of the households;
/// one shard of all of them is the upper bound. Parsing the file is not in it (it runs beside
/// the shards, before the hand-over).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class RegistryReloadBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    private Registry _registry = null!;
    private Registry _changed = null!;
    private ManualClock _clock = null!;
    private RulesEngine _engine = null!;

    [Params(100_000, 1_000_000)]
    public int Households { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var json = SyntheticRegistry.Json(Households);
        _registry = RegistryLoader.Parse(json.WrittenSpan, "synthetic", keepPersonalData: false);
        _changed = RegistryLoader.Parse(json.WrittenSpan, "synthetic", keepPersonalData: false);
        _clock = new ManualClock(Start.UtcTicks);
    }

    [IterationSetup]
    public void BeforeEach() => _engine = new RulesEngine(_registry.Households, _clock, new CountingObserver());

    [Benchmark]
    public RulesEngine Reload() => _engine.Reload(_changed.Households);
}
