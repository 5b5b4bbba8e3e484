using System.Globalization;

namespace LightsOn.Benchmarks.EndToEnd.Shared;

/// <summary>Percentiles of a set of latencies in milliseconds (nearest rank, so p99 of 100 samples is the 99th).</summary>
internal sealed record LatencySummary(int Count, double P50, double P99, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(milliseconds.Count);
        var sorted = milliseconds.Order().ToArray();
        double Rank(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new LatencySummary(sorted.Length, Rank(0.50), Rank(0.99), sorted[^1]);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"n={Count} p50={P50:F1} ms p99={P99:F1} ms max={Max:F1} ms");
}
