namespace LightsOn.Gateway.History;

/// <summary>Seconds; percentiles interpolate linearly between the nearest ranks.</summary>
internal sealed record DurationStats(int Count, double Median, double P90)
{
    /// <returns>Null when there are no durations.</returns>
    public static DurationStats? Of(List<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return null;
        }
        seconds.Sort();
        return new DurationStats(seconds.Count, Percentile(seconds, 0.5), Percentile(seconds, 0.9));
    }

    private static double Percentile(List<double> sorted, double p)
    {
        double rank = p * (sorted.Count - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Count - 1);
        double value = sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
        return Math.Round(value, 3);
    }
}
