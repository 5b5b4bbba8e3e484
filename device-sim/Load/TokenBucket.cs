namespace LightsOn.DeviceSim.Load;

/// <summary>
/// Paces publishes to a rate: tokens accrue at <c>rate</c> per second up to <c>burst</c>, and a
/// publish takes one. The cap keeps a stall (a slow acknowledgement, a GC pause) from being
/// followed by a burst far above the rate. Shared by all connections; the lock is held for a
/// few arithmetic operations only.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _ticksPerToken;
    private readonly double _burst;
    private double _tokens;
    private long _last;

    public TokenBucket(double rate, double burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _time = time;
        _ticksPerToken = time.TimestampFrequency / rate;
        _burst = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes a token if there is one; otherwise says how long until there will be.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (now - _last) / _ticksPerToken);
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                wait = TimeSpan.Zero;
                return true;
            }
            wait = TimeSpan.FromSeconds((1 - _tokens) * _ticksPerToken / _time.TimestampFrequency);
            return false;
        }
    }
}
