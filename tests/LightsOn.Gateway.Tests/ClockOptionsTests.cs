namespace LightsOn.Gateway.Tests;

public sealed class ClockOptionsTests
{
    [Theory]
    [InlineData("2026-11-23T15:30", "Asia/Shanghai", "2026-11-23T07:30:00Z")]
    [InlineData("2026-11-23 15:30:45", "Asia/Shanghai", "2026-11-23T07:30:45Z")]
    [InlineData("2026-07-01T09:00", "Europe/Berlin", "2026-07-01T07:00:00Z")]
    public void Start_is_a_local_date_time_in_the_clock_time_zone(string start, string zone, string utc)
    {
        var options = new ClockOptions { Start = start, TimeZone = zone };

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), options.StartUtc());
    }

    [Theory]
    [InlineData(null, 1, false)]
    [InlineData("", 1, false)]
    [InlineData(null, 2, true)]
    [InlineData("2026-11-23T15:30", 1, true)]
    public void Only_a_start_or_a_speed_other_than_one_leaves_real_time(string? start, double speed, bool scaled)
    {
        Assert.Equal(scaled, new ClockOptions { Start = start, Speed = speed }.IsScaled);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_naming_Clock_TimeZone()
    {
        var result = new ClockOptionsValidator().Validate(null, new ClockOptions { TimeZone = "Mars/Olympus" });

        Assert.True(result.Failed);
        Assert.StartsWith("Clock:TimeZone: 'Mars/Olympus'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Infinite_speed_is_refused()
    {
        var result = new ClockOptionsValidator().Validate(null, new ClockOptions { Speed = double.PositiveInfinity });

        Assert.True(result.Failed);
        Assert.StartsWith("Clock:Speed", result.FailureMessage, StringComparison.Ordinal);
    }
}
