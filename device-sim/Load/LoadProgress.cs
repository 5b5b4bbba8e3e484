namespace LightsOn.DeviceSim.Load;

/// <summary>A once-a-second snapshot of a running load: <see cref="Rate"/> is messages sent in the last interval per second.</summary>
internal readonly record struct LoadProgress(TimeSpan Elapsed, double Rate, long Sent, long Acknowledged, long Errors);
