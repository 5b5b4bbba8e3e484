namespace LightsOn.Rules;

/// <summary>
/// Local wall-clock times of a household's IANA time zone turned into UTC instants, correct
/// across daylight-saving changes.
/// </summary>
/// <remarks>
/// A local time that does not exist (in a spring-forward gap) is read with the offset from
/// before the gap, so it lands that many minutes later: "20:00" in a gap 19:30–20:30 is due at
/// 20:30. A local time that happens twice (fall back) means its first occurrence.
/// </remarks>
public static class ZonedTime
{
    public static long ToUtcTicks(TimeZoneInfo zone, DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // Clocks moved forward: the smaller of the surrounding offsets is the one before the gap.
            var before = zone.GetUtcOffset(local.AddHours(-12));
            var after = zone.GetUtcOffset(local.AddHours(12));
            offset = before < after ? before : after;
        }
        else if (zone.IsAmbiguousTime(local))
        {
            // Clocks moved back: the larger offset is the first pass through this wall time.
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            offset = offsets[0] > offsets[1] ? offsets[0] : offsets[1];
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }
        return local.Ticks - offset.Ticks;
    }

    public static DateTime ToLocal(TimeZoneInfo zone, long utcTicks) =>
        TimeZoneInfo.ConvertTimeFromUtc(new DateTime(utcTicks, DateTimeKind.Utc), zone);

    /// <summary>The first instant strictly after <paramref name="utcTicks"/> at local time <paramref name="time"/>.</summary>
    public static long NextOccurrence(TimeZoneInfo zone, TimeOnly time, long utcTicks)
    {
        var date = DateOnly.FromDateTime(ToLocal(zone, utcTicks));
        // Local days are 23 to 25 hours long, so the answer lies within a day either side.
        for (int day = -1; day <= 2; day++)
        {
            long candidate = ToUtcTicks(zone, date.AddDays(day).ToDateTime(time));
            if (candidate > utcTicks)
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No occurrence of {time} after {utcTicks} in {zone.Id}.");
    }

    /// <summary>The last instant strictly before <paramref name="utcTicks"/> at local time <paramref name="time"/>.</summary>
    public static long PreviousOccurrence(TimeZoneInfo zone, TimeOnly time, long utcTicks)
    {
        var date = DateOnly.FromDateTime(ToLocal(zone, utcTicks));
        for (int day = 1; day >= -2; day--)
        {
            long candidate = ToUtcTicks(zone, date.AddDays(day).ToDateTime(time));
            if (candidate < utcTicks)
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"No occurrence of {time} before {utcTicks} in {zone.Id}.");
    }

    /// <summary>
    /// The window from <paramref name="from"/> to <paramref name="to"/> whose end is the first
    /// occurrence of <paramref name="to"/> after <paramref name="utcTicks"/>: the window that
    /// contains the instant, or else the next one.
    /// </summary>
    public static DailyWindow WindowEndingAfter(TimeZoneInfo zone, TimeOnly from, TimeOnly to, long utcTicks)
    {
        long end = NextOccurrence(zone, to, utcTicks);
        return new DailyWindow(PreviousOccurrence(zone, from, end), end);
    }

    /// <summary>The first window that starts at or after <paramref name="utcTicks"/>.</summary>
    public static DailyWindow FirstWindowStartingAtOrAfter(TimeZoneInfo zone, TimeOnly from, TimeOnly to, long utcTicks)
    {
        var window = WindowEndingAfter(zone, from, to, utcTicks);
        while (window.Start < utcTicks)
        {
            window = WindowEndingAfter(zone, from, to, window.End);
        }
        return window;
    }
}
