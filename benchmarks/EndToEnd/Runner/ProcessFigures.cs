namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>One process's share of a variant: CPU seconds in the measured window, per message (or point), and its peak resident memory.</summary>
internal sealed record ProcessFigures(string Label, double CpuSeconds, double MicrosPerMessage, long PeakKiB);
