namespace LightsOn.Gateway.Storage;

/// <summary>
/// A fixed-bucket histogram in Prometheus' shape (cumulative buckets, sum, count), safe to
/// record from many threads without a lock.
/// </summary>
internal sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private double _sum;

    /// <param name="upperBounds">Ascending bucket upper bounds; <c>+Inf</c> is implied.</param>
    public Histogram(params double[] upperBounds)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        _bounds = [.. upperBounds];
        _counts = new long[upperBounds.Length];
    }

    public IReadOnlyList<double> UpperBounds => _bounds;

    public long Count => Interlocked.Read(ref _count);

    public double Sum => Volatile.Read(ref _sum);

    public void Record(double value)
    {
        int bucket = Array.BinarySearch(_bounds, value);
        if (bucket < 0)
        {
            bucket = ~bucket;
        }
        if (bucket < _counts.Length)
        {
            Interlocked.Increment(ref _counts[bucket]);
        }
        Interlocked.Increment(ref _count);
        double seen = Volatile.Read(ref _sum);
        while (true)
        {
            double old = Interlocked.CompareExchange(ref _sum, seen + value, seen);
            if (old.Equals(seen))
            {
                return;
            }
            seen = old;
        }
    }

    /// <summary>Observations at or below <see cref="UpperBounds"/>[<paramref name="index"/>] (cumulative, as Prometheus reports them).</summary>
    public long CumulativeCount(int index)
    {
        long total = 0;
        for (int i = 0; i <= index; i++)
        {
            total += Interlocked.Read(ref _counts[i]);
        }
        return total;
    }
}
