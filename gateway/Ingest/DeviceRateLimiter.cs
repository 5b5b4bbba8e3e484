using LightsOn.Rules;

namespace LightsOn.Gateway.Ingest;

/// <summary>
/// A token bucket per registered device (<c>Ingest:DeviceRatePerSecond</c>, <c>Ingest:DeviceBurst</c>),
/// so one broken or hostile device cannot take the connection threads, the shard queues and
/// storage away from the other households. SOS and fall messages are never limited: an SOS
/// from a malfunctioning device is still an SOS.
/// </summary>
/// <remarks>
/// <para>The bucket is kept as the generic cell rate algorithm: one number per device, the
/// time at which its bucket will be full again ("theoretical arrival time"), in
/// <see cref="TimeProvider.GetTimestamp"/> ticks of real time (not the rules' clock, which a
/// demo runs faster). A message is allowed when, after adding one emission interval, that time
/// is no more than <c>burst</c> intervals ahead of now.</para>
/// <para>The ingest path calls this from the broker's connection threads, so several threads
/// may take from different devices at once, and a device connected twice may be taken from by
/// two threads: each update is a compare-and-swap on the device's own slot, lock-free and
/// without allocation. Drops are counted per device too, and the first drop of a device in
/// each report interval is singled out (<see cref="RateVerdict.DroppedAndReport"/>) so that a
/// flood makes one log line and one dead letter per interval, not one per message.</para>
/// </remarks>
internal sealed class DeviceRateLimiter
{
    private const long Never = long.MinValue;

    private readonly State[] _states;
    private readonly TimeProvider _time;
    private readonly long _emission;
    private readonly long _limit;
    private readonly long _reportInterval;

    /// <param name="devices">Registered devices (<see cref="DeviceDirectory.DeviceCount"/>); each has its own bucket.</param>
    /// <param name="ratePerSecond">Average messages per second a device may send; 0 turns the limit off.</param>
    /// <param name="burst">Messages a device may send at once after a quiet spell.</param>
    /// <param name="reportInterval">At most one drop per device is reported in this much time.</param>
    public DeviceRateLimiter(int devices, double ratePerSecond, int burst, TimeProvider time, TimeSpan reportInterval)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(devices);
        ArgumentOutOfRangeException.ThrowIfNegative(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(reportInterval, TimeSpan.Zero);
        _time = time;
        RatePerSecond = ratePerSecond;
        Burst = burst;
        IsEnabled = ratePerSecond > 0;
        _states = new State[IsEnabled ? devices : 0];
        for (int i = 0; i < _states.Length; i++)
        {
            _states[i].ReportedAt = Never;
        }
        _emission = IsEnabled ? Math.Max(1, (long)(time.TimestampFrequency / ratePerSecond)) : 0;
        _limit = _emission * burst;
        _reportInterval = (long)(reportInterval.TotalSeconds * time.TimestampFrequency);
    }

    public double RatePerSecond { get; }
    public int Burst { get; }
    public bool IsEnabled { get; }

    /// <summary>A limiter with the same rate and burst over <paramref name="devices"/> devices, every bucket full.</summary>
    public DeviceRateLimiter For(int devices) =>
        new(devices, RatePerSecond, Burst, _time, TimeSpan.FromSeconds((double)_reportInterval / _time.TimestampFrequency));

    /// <summary>SOS and fall messages pass whatever the rate: they are what the system is for.</summary>
    public static bool IsExempt(DeviceKind kind) => kind is DeviceKind.Sos or DeviceKind.Fall;

    /// <summary>Takes one message of <paramref name="kind"/> from device <paramref name="device"/> (its <see cref="DeviceDirectory.GlobalDeviceIndex"/>).</summary>
    /// <param name="droppedBefore">With <see cref="RateVerdict.DroppedAndReport"/>: the device's drops since its previous report.</param>
    public RateVerdict Take(int device, DeviceKind kind, out long droppedBefore)
    {
        droppedBefore = 0;
        if (!IsEnabled || IsExempt(kind))
        {
            return RateVerdict.Allowed;
        }
        ref var state = ref _states[device];
        long now = _time.GetTimestamp();
        while (true)
        {
            long full = Volatile.Read(ref state.FullAt);
            long next = Math.Max(full, now) + _emission;
            if (next - now > _limit)
            {
                break;
            }
            if (Interlocked.CompareExchange(ref state.FullAt, next, full) == full)
            {
                return RateVerdict.Allowed;
            }
        }

        Interlocked.Increment(ref state.Dropped);
        long reportedAt = Volatile.Read(ref state.ReportedAt);
        if ((reportedAt == Never || now - reportedAt >= _reportInterval)
            && Interlocked.CompareExchange(ref state.ReportedAt, now, reportedAt) == reportedAt)
        {
            // This one is reported itself; the count is of those that went unreported.
            droppedBefore = Math.Max(0, Interlocked.Exchange(ref state.Dropped, 0) - 1);
            return RateVerdict.DroppedAndReport;
        }
        return RateVerdict.Dropped;
    }

    private struct State
    {
        public long FullAt;
        public long ReportedAt;
        public long Dropped;
    }
}
