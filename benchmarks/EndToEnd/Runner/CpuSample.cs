using System.Diagnostics;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>The CPU ticks of each measured process at one moment, with that moment's timestamp.</summary>
internal sealed class CpuSample
{
    private readonly Dictionary<string, long> _ticks;

    private CpuSample(Dictionary<string, long> ticks, long timestamp)
    {
        _ticks = ticks;
        Timestamp = timestamp;
    }

    public long Timestamp { get; }

    public static CpuSample Take(IEnumerable<MeasuredProcess> processes) =>
        new(processes.ToDictionary(p => p.Label, p => ProcStat.CpuTicks(p.ProcessId), StringComparer.Ordinal), Stopwatch.GetTimestamp());

    /// <summary>Seconds between two samples.</summary>
    public static double Seconds(CpuSample begin, CpuSample end) => Stopwatch.GetElapsedTime(begin.Timestamp, end.Timestamp).TotalSeconds;

    /// <summary>CPU seconds <paramref name="label"/> spent between <paramref name="begin"/> and <paramref name="end"/>.</summary>
    public static double CpuSeconds(CpuSample begin, CpuSample end, string label) =>
        (end._ticks[label] - begin._ticks[label]) / (double)ProcStat.ClockTicksPerSecond;
}
