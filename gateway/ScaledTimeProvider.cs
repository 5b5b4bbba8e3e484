namespace LightsOn.Gateway;

/// <summary>
/// The demo clock of <c>Clock:Start</c> / <c>Clock:Speed</c>: starts at a given instant and runs
/// <c>speed</c> times faster than <paramref name="inner"/>, so a simulated evening passes in
/// seconds. Timers are scaled too, so anything scheduled on this clock fires on its time.
/// </summary>
internal sealed class ScaledTimeProvider(TimeProvider inner, DateTimeOffset start, double speed) : TimeProvider
{
    // Wall timers cannot fire sooner than this; a shorter scaled period must not become 0,
    // which System.Threading.Timer reads as "do not repeat".
    private static readonly TimeSpan MinimumTimerInterval = TimeSpan.FromMilliseconds(1);

    private readonly long _origin = inner.GetTimestamp();

    public double Speed => speed;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() =>
        start + TimeSpan.FromTicks((long)(inner.GetElapsedTime(_origin).Ticks * speed));

    public override long GetTimestamp() => _origin + (long)((inner.GetTimestamp() - _origin) * speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(this, inner.CreateTimer(callback, state, ToInner(dueTime), ToInner(period)));

    private TimeSpan ToInner(TimeSpan scaled)
    {
        if (scaled == Timeout.InfiniteTimeSpan || scaled <= TimeSpan.Zero)
        {
            return scaled;
        }
        var real = TimeSpan.FromTicks((long)(scaled.Ticks / speed));
        return real < MinimumTimerInterval ? MinimumTimerInterval : real;
    }

    private sealed class ScaledTimer(ScaledTimeProvider clock, ITimer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(clock.ToInner(dueTime), clock.ToInner(period));

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
