namespace LightsOn.Rules;

/// <summary>
/// Remembers recently computed daily windows. Households that share a policy roll their
/// windows at the same instant (every 20:00 deadline of a district falls at once), and a
/// time-zone conversion costs about a microsecond: one conversion per policy instead of one
/// per household. Owned by one shard; not thread-safe.
/// </summary>
internal sealed class WindowCache
{
    private const int MaxEntries = 4096;
    private readonly Dictionary<Key, DailyWindow> _windows = new();

    public enum Kind : byte
    {
        EveningEndingAfter,
        MorningEndingAfter,
        EveningStartingAtOrAfter,
        MorningStartingAtOrAfter,
    }

    public DailyWindow Get(HouseholdPolicy policy, Kind kind, long utcTicks)
    {
        var key = new Key(policy, kind, utcTicks);
        if (_windows.TryGetValue(key, out var window))
        {
            return window;
        }
        window = kind switch
        {
            Kind.EveningEndingAfter => policy.EveningWindowEndingAfter(utcTicks),
            Kind.MorningEndingAfter => policy.MorningWindowEndingAfter(utcTicks),
            Kind.EveningStartingAtOrAfter => ZonedTime.FirstWindowStartingAtOrAfter(policy.TimeZone, policy.EveningFrom, policy.LightsOnBy, utcTicks),
            _ => ZonedTime.FirstWindowStartingAtOrAfter(policy.TimeZone, policy.MorningFrom, policy.MorningBy, utcTicks),
        };
        if (_windows.Count >= MaxEntries)
        {
            _windows.Clear();
        }
        _windows.Add(key, window);
        return window;
    }

    private readonly record struct Key(HouseholdPolicy Policy, Kind Kind, long Ticks);
}
