namespace LightsOn.Rules.Tests;

public sealed class ZonedTimeTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static long Utc(int year, int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero).UtcTicks;

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    // New York springs forward 2026-03-08 02:00 EST -> 03:00 EDT and falls back 2026-11-01 02:00 EDT -> 01:00 EST.
    // Berlin springs forward 2026-03-29 02:00 CET -> 03:00 CEST and falls back 2026-10-25 03:00 CEST -> 02:00 CET.
    [Theory]
    [InlineData("America/New_York", "2026-03-08T01:59:59", "2026-03-08T06:59:59")]
    [InlineData("America/New_York", "2026-03-08T02:00:00", "2026-03-08T07:00:00")] // gap: read as EST
    [InlineData("America/New_York", "2026-03-08T02:30:00", "2026-03-08T07:30:00")] // gap: 03:30 EDT
    [InlineData("America/New_York", "2026-03-08T03:00:00", "2026-03-08T07:00:00")]
    [InlineData("America/New_York", "2026-11-01T00:59:59", "2026-11-01T04:59:59")]
    [InlineData("America/New_York", "2026-11-01T01:30:00", "2026-11-01T05:30:00")] // overlap: first pass, EDT
    [InlineData("America/New_York", "2026-11-01T02:00:00", "2026-11-01T07:00:00")]
    [InlineData("Europe/Berlin", "2026-03-29T02:30:00", "2026-03-29T01:30:00")] // gap: 03:30 CEST
    [InlineData("Europe/Berlin", "2026-03-29T03:00:00", "2026-03-29T01:00:00")]
    [InlineData("Europe/Berlin", "2026-10-25T02:30:00", "2026-10-25T00:30:00")] // overlap: first pass, CEST
    [InlineData("Europe/Berlin", "2026-10-25T03:00:00", "2026-10-25T02:00:00")]
    [InlineData("Asia/Shanghai", "2026-03-08T02:30:00", "2026-03-07T18:30:00")]
    [InlineData("Asia/Shanghai", "2026-03-29T02:30:00", "2026-03-28T18:30:00")]
    [InlineData("Asia/Shanghai", "2026-10-25T02:30:00", "2026-10-24T18:30:00")]
    [InlineData("Asia/Shanghai", "2026-07-01T20:00:00", "2026-07-01T12:00:00")]
    public void Local_time_to_utc(string zone, string local, string expectedUtc)
    {
        var utc = ZonedTime.ToUtcTicks(Zone(zone), DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture).Ticks, utc);
    }

    [Fact]
    public void A_time_in_the_gap_is_read_with_the_offset_before_it()
    {
        long beforeGap = ZonedTime.ToUtcTicks(NewYork, new DateTime(2026, 3, 8, 1, 59, 59).AddTicks(9_999_999));
        long inGap = ZonedTime.ToUtcTicks(NewYork, new DateTime(2026, 3, 8, 2, 0, 0));
        Assert.Equal(1, inGap - beforeGap);
        Assert.Equal(new DateTime(2026, 3, 8, 3, 30, 0), ZonedTime.ToLocal(NewYork, ZonedTime.ToUtcTicks(NewYork, new DateTime(2026, 3, 8, 2, 30, 0))));
    }

    [Fact]
    public void Next_occurrence_is_strictly_after_and_follows_the_offset_change()
    {
        var eight = new TimeOnly(20, 0);
        long saturday = ZonedTime.NextOccurrence(NewYork, eight, Utc(2026, 3, 7, 12));
        Assert.Equal(Utc(2026, 3, 8, 1), saturday);

        long sunday = ZonedTime.NextOccurrence(NewYork, eight, saturday);
        Assert.Equal(Utc(2026, 3, 9, 0), sunday);
        Assert.Equal(TimeSpan.FromHours(23), TimeSpan.FromTicks(sunday - saturday));

        Assert.Equal(saturday, ZonedTime.NextOccurrence(NewYork, eight, saturday - 1));
    }

    [Fact]
    public void Next_occurrence_of_a_repeated_time_skips_its_second_pass()
    {
        var halfPastOne = new TimeOnly(1, 30);
        long first = Utc(2026, 11, 1, 5, 30);
        Assert.Equal(first, ZonedTime.NextOccurrence(NewYork, halfPastOne, Utc(2026, 11, 1, 0)));
        Assert.Equal(Utc(2026, 11, 2, 6, 30), ZonedTime.NextOccurrence(NewYork, halfPastOne, first));
    }

    [Fact]
    public void Previous_occurrence_is_strictly_before()
    {
        var eight = new TimeOnly(20, 0);
        long at = Utc(2026, 11, 23, 12); // 20:00 in Shanghai
        Assert.Equal(Utc(2026, 11, 22, 12), ZonedTime.PreviousOccurrence(Shanghai, eight, at));
        Assert.Equal(at, ZonedTime.PreviousOccurrence(Shanghai, eight, at + 1));
        Assert.Equal(Utc(2026, 11, 1, 5, 30), ZonedTime.PreviousOccurrence(NewYork, new TimeOnly(1, 30), Utc(2026, 11, 1, 6, 30)));
    }

    [Fact]
    public void Night_window_over_spring_forward_is_an_hour_short()
    {
        var window = ZonedTime.WindowEndingAfter(Berlin, new TimeOnly(23, 0), new TimeOnly(5, 0), Utc(2026, 3, 28, 23));
        Assert.Equal(Utc(2026, 3, 28, 22), window.Start);
        Assert.Equal(Utc(2026, 3, 29, 3), window.End);
        Assert.Equal(TimeSpan.FromHours(5), TimeSpan.FromTicks(window.End - window.Start));
    }

    [Fact]
    public void Night_window_over_fall_back_is_an_hour_long()
    {
        var window = ZonedTime.WindowEndingAfter(Berlin, new TimeOnly(23, 0), new TimeOnly(5, 0), Utc(2026, 10, 24, 22));
        Assert.Equal(Utc(2026, 10, 24, 21), window.Start);
        Assert.Equal(Utc(2026, 10, 25, 4), window.End);
        Assert.Equal(TimeSpan.FromHours(7), TimeSpan.FromTicks(window.End - window.Start));
    }

    [Fact]
    public void Shanghai_days_are_always_24_hours()
    {
        long instant = Utc(2026, 3, 1, 0);
        var window = ZonedTime.WindowEndingAfter(Shanghai, new TimeOnly(16, 0), new TimeOnly(20, 0), instant);
        for (int day = 0; day < 366; day++)
        {
            Assert.Equal(TimeSpan.FromHours(4), TimeSpan.FromTicks(window.End - window.Start));
            Assert.Equal(new TimeOnly(20, 0), TimeOnly.FromDateTime(ZonedTime.ToLocal(Shanghai, window.End)));
            var next = ZonedTime.WindowEndingAfter(Shanghai, new TimeOnly(16, 0), new TimeOnly(20, 0), window.End);
            Assert.Equal(TimeSpan.FromDays(1), TimeSpan.FromTicks(next.End - window.End));
            window = next;
        }
    }

    [Fact]
    public void Window_ending_after_its_own_end_is_the_next_one()
    {
        var from = new TimeOnly(16, 0);
        var to = new TimeOnly(20, 0);
        long end = Utc(2026, 11, 23, 12);
        Assert.Equal(new DailyWindow(Utc(2026, 11, 23, 8), end), ZonedTime.WindowEndingAfter(Shanghai, from, to, end - 1));
        Assert.Equal(new DailyWindow(Utc(2026, 11, 24, 8), Utc(2026, 11, 24, 12)), ZonedTime.WindowEndingAfter(Shanghai, from, to, end));
    }

    [Fact]
    public void Window_ending_after_an_instant_before_it_is_the_coming_one()
    {
        var window = ZonedTime.WindowEndingAfter(Shanghai, new TimeOnly(16, 0), new TimeOnly(20, 0), Utc(2026, 11, 23, 2));
        Assert.Equal(new DailyWindow(Utc(2026, 11, 23, 8), Utc(2026, 11, 23, 12)), window);
        Assert.False(window.Contains(Utc(2026, 11, 23, 2)));
        Assert.True(window.Contains(window.Start));
        Assert.False(window.Contains(window.End));
    }

    [Fact]
    public void First_window_starting_at_or_after_includes_one_starting_exactly_then()
    {
        var from = new TimeOnly(22, 0);
        var to = new TimeOnly(1, 0);
        long start = Utc(2026, 11, 23, 14); // 22:00 in Shanghai
        Assert.Equal(new DailyWindow(start, Utc(2026, 11, 23, 17)), ZonedTime.FirstWindowStartingAtOrAfter(Shanghai, from, to, start));
        Assert.Equal(new DailyWindow(Utc(2026, 11, 24, 14), Utc(2026, 11, 24, 17)),
            ZonedTime.FirstWindowStartingAtOrAfter(Shanghai, from, to, start + 1));
    }

    [Fact]
    public void Window_crossing_midnight_contains_the_small_hours()
    {
        var window = ZonedTime.WindowEndingAfter(NewYork, new TimeOnly(22, 0), new TimeOnly(1, 0), Utc(2026, 11, 24, 5, 30));
        Assert.Equal(Utc(2026, 11, 24, 3), window.Start);
        Assert.Equal(Utc(2026, 11, 24, 6), window.End);
    }
}
