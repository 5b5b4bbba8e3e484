namespace LightsOn.DeviceSim.Run;

/// <summary>
/// The simulated clock, the same as the gateway's <c>Clock:Start</c> / <c>Clock:Speed</c>: it
/// starts at <paramref name="startUtcTicks"/> and runs <paramref name="speed"/> times faster than
/// <paramref name="time"/>. Both sides must agree on it, or the gateway reads device <c>ts</c>
/// values as skewed.
/// </summary>
internal sealed class SimClock(TimeProvider time, long startUtcTicks, double speed)
{
    private readonly long _origin = time.GetTimestamp();

    public TimeProvider Time => time;

    public long StartUtcTicks => startUtcTicks;

    public double Speed => speed;

    public long NowUtcTicks => startUtcTicks + (long)(time.GetElapsedTime(_origin).Ticks * speed);

    /// <summary>The real time until the simulated clock reaches <paramref name="utcTicks"/>, rounded up so waiting it never ends early.</summary>
    public TimeSpan RealDelayUntil(long utcTicks)
    {
        long ahead = utcTicks - NowUtcTicks;
        return ahead <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(ahead / speed));
    }
}
