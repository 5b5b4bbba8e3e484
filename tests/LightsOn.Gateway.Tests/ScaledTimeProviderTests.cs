using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests;

public sealed class ScaledTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 7, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Starts_at_the_given_instant_and_runs_speed_times_faster()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new ScaledTimeProvider(real, Start, speed: 60);
        Assert.Equal(Start, clock.GetUtcNow());

        real.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(Start.AddMinutes(30), clock.GetUtcNow());
    }

    [Fact]
    public void Elapsed_time_is_scaled_too()
    {
        var real = new FakeTimeProvider(Start);
        var clock = new ScaledTimeProvider(real, Start, speed: 10);
        long before = clock.GetTimestamp();

        real.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(30), clock.GetElapsedTime(before));
    }

    [Fact]
    public void A_timer_fires_after_its_scaled_due_time_not_before()
    {
        var real = new FakeTimeProvider(Start);
        var clock = new ScaledTimeProvider(real, Start, speed: 60);
        int fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        real.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void A_changed_timer_is_scaled_and_a_tiny_period_still_repeats()
    {
        var real = new FakeTimeProvider(Start);
        var clock = new ScaledTimeProvider(real, Start, speed: 1000);
        int fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
        real.Advance(TimeSpan.FromMilliseconds(1));
        real.Advance(TimeSpan.FromMilliseconds(1));
        real.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, fired);
    }
}
