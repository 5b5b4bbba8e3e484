using LightsOn.Rules;

namespace LightsOn.Gateway.Storage;

/// <summary>
/// Gives every stored alert change its own millisecond in its series. InfluxDB keeps one point
/// per series and time stamp, and an <c>alert</c> series is a household and a kind: two devices
/// of a household going offline at the same tick, or an alert raised and escalated in one
/// catch-up, would otherwise leave a single point, and a restart rebuilt from the points would
/// lose an alert. A change that would land on a millisecond its series already used is stored
/// one millisecond after the last; changes of different series are never moved.
/// </summary>
/// <remarks>Not thread-safe: <see cref="InfluxWriter"/> calls it under a lock.</remarks>
internal sealed class AlertPointTimes
{
    // Past this many series remembered, those not written to in the last minute are forgotten:
    // a change is only ever moved past its own series' latest points.
    private const int PruneAbove = 4096;
    private const long ForgetAfterMs = 60_000;

    private readonly Dictionary<(string Household, AlertKind Kind), long> _last = [];

    /// <summary>The change as it is to be stored: as it is, or with a later <see cref="AlertRecord.UpdatedAt"/>.</summary>
    public AlertRecord Unique(AlertRecord change)
    {
        long ticks = change.UpdatedAt != 0 ? change.UpdatedAt : change.RaisedAt;
        long ms = Math.DivRem(ticks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMillisecond, out _);
        var series = (change.Household, change.Kind);
        if (_last.TryGetValue(series, out long last) && last >= ms)
        {
            ms = last + 1;
            change = change with { UpdatedAt = DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond };
        }
        _last[series] = ms;
        if (_last.Count > PruneAbove)
        {
            Forget(ms - ForgetAfterMs);
        }
        return change;
    }

    private void Forget(long beforeMs)
    {
        foreach (var (series, last) in _last)
        {
            if (last < beforeMs)
            {
                _last.Remove(series);
            }
        }
    }
}
