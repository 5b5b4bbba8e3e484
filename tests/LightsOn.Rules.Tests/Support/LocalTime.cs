namespace LightsOn.Rules.Tests.Support;

/// <summary>Short names for local wall-clock instants around <see cref="EngineHarness.Day"/>.</summary>
internal static class LocalTime
{
    /// <summary><paramref name="hour"/>:<paramref name="minute"/> on the test day plus <paramref name="day"/> days.</summary>
    public static DateTime At(int hour, int minute = 0, int day = 0, int second = 0) =>
        EngineHarness.Day.AddDays(day).AddHours(hour).AddMinutes(minute).AddSeconds(second);

    /// <summary>One tick (100 ns) before <paramref name="time"/>.</summary>
    public static DateTime Before(DateTime time) => time.AddTicks(-1);

    /// <summary>One tick after <paramref name="time"/>.</summary>
    public static DateTime After(DateTime time) => time.AddTicks(1);
}
