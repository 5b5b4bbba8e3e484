namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// The gateway's memory with a large registry and no load: resident set after it settled, its
/// peak (the registry parse), and the GC's own view where the process reported it.
/// </summary>
internal sealed record MillionFigures(
    int Households,
    double StartupSeconds,
    double StartupCpuSeconds,
    long RssKiB,
    long PeakKiB,
    GcReport? Gc,
    GcReport? AfterFullGc,
    long? RssAfterFullGcKiB);
