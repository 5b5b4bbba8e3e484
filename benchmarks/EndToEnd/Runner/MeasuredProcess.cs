namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>A process whose CPU time a variant reports, under the name the table gives it.</summary>
internal sealed record MeasuredProcess(string Label, int ProcessId);
