namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// One process's share of a variant: CPU seconds in the measured window, per message (or point),
/// as a share of one core over the window (near 100 % it is what limits the rate), and its peak
/// resident memory.
/// </summary>
internal sealed record ProcessFigures(string Label, double CpuSeconds, double MicrosPerMessage, double CoreShare, long PeakKiB);
