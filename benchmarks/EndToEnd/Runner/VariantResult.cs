using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>What one variant measured; whatever it could not measure stays null and says why in <see cref="Failure"/> or <see cref="Notes"/>.</summary>
internal sealed class VariantResult(string name)
{
    public string Name { get; } = name;

    /// <summary>Why the variant did not finish, when it did not.</summary>
    public string? Failure { get; set; }

    /// <summary>"message", or "point" for the direct InfluxDB writes.</summary>
    public string Unit { get; set; } = "msg";

    /// <summary>Sent and acknowledged inside the measured window.</summary>
    public long Sent { get; set; }
    public long Acknowledged { get; set; }
    public double Seconds { get; set; }
    public double Rate => Seconds > 0 ? Acknowledged / Seconds : 0;

    public List<ProcessFigures> Processes { get; } = [];

    /// <summary>Points that must be in InfluxDB (everything acknowledged, warm-up included) and those counted there.</summary>
    public long? Expected { get; set; }
    public long? Stored { get; set; }

    public LatencySummary? Sos { get; set; }
    public MillionFigures? Million { get; set; }
    public List<string> Notes { get; } = [];

    public ProcessFigures? Process(string label) => Processes.FirstOrDefault(p => p.Label == label);

    public bool Measured => Failure is null && Processes.Count > 0;

    public void Add(IEnumerable<MeasuredProcess> processes, CpuSample begin, CpuSample end, long messages)
    {
        foreach (var process in processes)
        {
            double cpu = CpuSample.CpuSeconds(begin, end, process.Label);
            double seconds = CpuSample.Seconds(begin, end);
            Processes.Add(new ProcessFigures(process.Label, cpu, messages > 0 ? cpu * 1e6 / messages : double.NaN,
                seconds > 0 ? cpu / seconds : double.NaN, ProcStat.MemoryKiB(process.ProcessId, "VmHWM")));
        }
    }
}
