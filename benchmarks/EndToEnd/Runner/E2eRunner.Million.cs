using System.Diagnostics;
using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// Memory with a million registered households and no load: the registry is generated once into
/// a cache folder (hundreds of MB, half a minute), the gateway starts on it, and once it is ready
/// and has settled its resident set, its peak and the GC heap are read.
/// </summary>
internal sealed partial class E2eRunner
{
    private static readonly TimeSpan MillionReadyTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(90);

    private async Task<VariantResult> RunMillionAsync()
    {
        var result = new VariantResult(E2eVariants.Million);
        int households = _options.MillionHouseholds;
        string registry = Path.Combine(CacheFolder(), $"registry-{households}-seed42.json");
        if (!File.Exists(registry))
        {
            Console.WriteLine($"// generating a {households:N0}-household registry once, into {registry}");
            Directory.CreateDirectory(Path.GetDirectoryName(registry)!);
            await GenerateRegistryAsync(households, registry);
        }

        string folder = VariantFolder(E2eVariants.Million);
        await using var influx = await InfluxServer.StartAsync(folder);
        await influx.ExecuteAsync($"CREATE DATABASE \"{Database}\"");
        string report = Path.Combine(folder, "gc-report.txt");
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_STARTUP_HOOKS"] = _benchmarksDll,
            [GcReport.PathVariable] = report,
        };
        await using var gateway = await GatewayServer.StartAsync(_gatewayDll, folder,
            [$"--Registry:Path={registry}", $"--Mqtt:Port={FreePort.Next()}", $"--Influx:Url={influx.Url.ToString().TrimEnd('/')}", $"--Influx:Database={Database}"],
            MillionReadyTimeout, environment);
        double startupCpu = ProcStat.CpuTicks(gateway.ProcessId) / (double)ProcStat.ClockTicksPerSecond;

        // Settled: at least the settle time, then until the resident set moved less than 1 % in 5 s.
        var clock = Stopwatch.StartNew();
        var history = new List<long>();
        while (true)
        {
            history.Add(ProcStat.MemoryKiB(gateway.ProcessId, "VmRSS"));
            if (clock.Elapsed >= _options.Settle && history.Count > 5 && Math.Abs(history[^1] - history[^6]) < history[^1] / 100)
            {
                break;
            }
            if (clock.Elapsed > MaxSettle)
            {
                result.Notes.Add($"the resident set was still moving {MaxSettle.TotalSeconds:0} s after the gateway was ready");
                break;
            }
            await Task.Delay(1000);
        }
        long rss = ProcStat.MemoryKiB(gateway.ProcessId, "VmRSS");
        long peak = ProcStat.MemoryKiB(gateway.ProcessId, "VmHWM");
        var gc = GcReport.Read(report);

        // One forced full compacting collection shows how much of the heap is live: the rest is garbage the GC had no reason to collect yet.
        GcReport? after = null;
        long? rssAfter = null;
        if (gc is not null)
        {
            await File.WriteAllTextAsync(GcReport.TriggerPath(report), "");
            var wait = Stopwatch.StartNew();
            while (wait.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(500);
                if (GcReport.Read(report) is { ForcedCollections: > 0 } collected)
                {
                    after = collected;
                    rssAfter = ProcStat.MemoryKiB(gateway.ProcessId, "VmRSS");
                    break;
                }
            }
        }
        else
        {
            result.Notes.Add("the GC heap was not reported (the startup hook did not run): RSS and peak only");
        }
        result.Million = new MillionFigures(households, gateway.StartupSeconds, startupCpu, rss, peak, gc, after, rssAfter);
        if (gateway.Problems is { } problems)
        {
            result.Notes.Add($"gateway log: {problems}");
        }
        return result;
    }

    /// <summary><c>$XDG_CACHE_HOME/lightson-benchmarks</c>, else <c>~/.cache/lightson-benchmarks</c>: kept between runs, never in the repository.</summary>
    private static string CacheFolder()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string cache = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "lightson-benchmarks");
    }
}
