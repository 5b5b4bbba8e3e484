using System.Diagnostics;
using System.Runtime.CompilerServices;
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

    private Registry _registry = null!;
    private ManualClock _clock = null!;
    private CountingObserver _observer = null!;
    private RulesEngine? _engine;
    private long _before;

    [Params(1_000_000)]
    public int Households { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var json = SyntheticRegistry.Json(Households);
        long started = Stopwatch.GetTimestamp();
        _ = RegistryLoader.Parse(json.WrittenSpan, "synthetic");
        var parse = Stopwatch.GetElapsedTime(started);
        // Measured on a second load: the first leaves the JSON document's large buffers in the
        // shared ArrayPool, which the second reuses, so the difference is the registry alone.
        long pooled = GC.GetTotalMemory(forceFullCollection: true);
        _registry = RegistryLoader.Parse(json.WrittenSpan, "synthetic");
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(json);
        Console.WriteLine($"// memory: registry of {Households:N0} households ({Mib(json.WrittenCount)} MiB of JSON, " +
            $"parsed in {parse.TotalSeconds:0.00} s) retains {Mib(after - pooled)} MiB; GC heap after loading {Mib(after)} MiB");
        Console.WriteLine($"// memory: per-entry state: household {Unsafe.SizeOf<HouseholdState>()} B, device {Unsafe.SizeOf<DeviceState>()} B");
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
        // The first loads leave large parser buffers in the shared ArrayPool; when the runtime
        // trims it during an iteration the difference says nothing about the engine.
        string retained = after >= _before ? $"{Mib(after - _before)} MiB" : "(not measured: pooled buffers were released meanwhile)";
        Console.WriteLine($"// memory: engine over {_engine!.HouseholdCount:N0} households retains {retained} " +
            $"(GC heap now {Mib(after)} MiB, process working set {Mib(Environment.WorkingSet)} MiB)");
        _engine = null;
    }

    [Benchmark]
    public RulesEngine Construct()
    {
        _engine = new RulesEngine(_registry.Households, _clock, _observer);
        return _engine;
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
