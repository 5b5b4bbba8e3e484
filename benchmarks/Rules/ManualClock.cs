namespace LightsOn.Benchmarks.Rules;

/// <summary>
/// A clock the benchmark moves by hand, so simulated time advances with the events rather
/// than with the wall clock (a slow run must not make deadlines fall due).
/// </summary>
public sealed class ManualClock(long utcTicks) : TimeProvider
{
    public long UtcTicks { get; set; } = utcTicks;

    public override DateTimeOffset GetUtcNow() => new(UtcTicks, TimeSpan.Zero);
}
