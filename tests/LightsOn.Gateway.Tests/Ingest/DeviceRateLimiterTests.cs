using LightsOn.Gateway.Ingest;
using LightsOn.Rules;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests.Ingest;

public sealed class DeviceRateLimiterTests
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new(TestGateway.StartTime);

    [Fact]
    public void A_device_gets_its_burst_at_once_then_its_rate()
    {
        var limiter = new DeviceRateLimiter(devices: 3, ratePerSecond: 10, burst: 50, _time, ReportInterval);

        Assert.Equal(50, TakeMany(limiter, 0, DeviceKind.Status, 200));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, TakeMany(limiter, 0, DeviceKind.Door, 200));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(RateVerdict.Allowed, limiter.Take(0, DeviceKind.Light, out _));
        Assert.NotEqual(RateVerdict.Allowed, limiter.Take(0, DeviceKind.Light, out _));
        // A quiet spell fills the bucket again, to the burst and no further.
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(50, TakeMany(limiter, 0, DeviceKind.Motion, 200));
    }

    [Fact]
    public void A_flooding_device_leaves_the_other_devices_their_own_buckets()
    {
        var limiter = new DeviceRateLimiter(devices: 3, ratePerSecond: 10, burst: 50, _time, ReportInterval);

        TakeMany(limiter, 1, DeviceKind.Status, 10_000);

        Assert.Equal(50, TakeMany(limiter, 0, DeviceKind.Status, 200));
        Assert.Equal(50, TakeMany(limiter, 2, DeviceKind.Status, 200));
    }

    [Fact]
    public void Sos_and_fall_are_never_limited_even_from_a_device_over_its_rate()
    {
        var limiter = new DeviceRateLimiter(devices: 1, ratePerSecond: 1, burst: 1, _time, ReportInterval);
        TakeMany(limiter, 0, DeviceKind.Status, 100);

        Assert.Equal(1000, TakeMany(limiter, 0, DeviceKind.Sos, 1000));
        Assert.Equal(1000, TakeMany(limiter, 0, DeviceKind.Fall, 1000));
        Assert.NotEqual(RateVerdict.Allowed, limiter.Take(0, DeviceKind.Status, out _));
    }

    [Fact]
    public void Only_the_first_drop_of_each_interval_is_reported_with_the_count_of_those_not_reported()
    {
        var limiter = new DeviceRateLimiter(devices: 1, ratePerSecond: 1, burst: 1, _time, ReportInterval);
        Assert.Equal(RateVerdict.Allowed, limiter.Take(0, DeviceKind.Status, out _));

        Assert.Equal(RateVerdict.DroppedAndReport, limiter.Take(0, DeviceKind.Status, out long first));
        var quiet = Enumerable.Range(0, 99).Select(i => limiter.Take(0, DeviceKind.Status, out _)).ToList();
        _time.Advance(ReportInterval);
        Assert.Equal(RateVerdict.Allowed, limiter.Take(0, DeviceKind.Status, out _));
        Assert.Equal(RateVerdict.DroppedAndReport, limiter.Take(0, DeviceKind.Status, out long second));

        Assert.Equal(0, first);
        Assert.All(quiet, v => Assert.Equal(RateVerdict.Dropped, v));
        Assert.Equal(99, second);
    }

    [Fact]
    public void A_rate_of_zero_turns_the_limit_off()
    {
        var limiter = new DeviceRateLimiter(devices: 1, ratePerSecond: 0, burst: 1, _time, ReportInterval);

        Assert.False(limiter.IsEnabled);
        Assert.Equal(10_000, TakeMany(limiter, 0, DeviceKind.Status, 10_000));
    }

    [Fact]
    public void Threads_taking_from_one_device_at_once_get_exactly_its_burst()
    {
        // The time does not move: only the burst is there to take, whoever takes it.
        var limiter = new DeviceRateLimiter(devices: 2, ratePerSecond: 10, burst: 500, _time, ReportInterval);
        int reports = 0;
        int[] allowed = new int[4];

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                var verdict = limiter.Take(0, DeviceKind.Status, out _);
                if (verdict == RateVerdict.Allowed)
                {
                    allowed[t]++;
                }
                else if (verdict == RateVerdict.DroppedAndReport)
                {
                    Interlocked.Increment(ref reports);
                }
            }
        });

        Assert.Equal(500, allowed.Sum());
        Assert.Equal(1, reports);
    }

    [Fact]
    public void Taking_allocates_nothing()
    {
        var limiter = new DeviceRateLimiter(devices: 4, ratePerSecond: 10, burst: 5, _time, ReportInterval);
        TakeMany(limiter, 1, DeviceKind.Status, 10);

        long before = GC.GetAllocatedBytesForCurrentThread();
        TakeMany(limiter, 1, DeviceKind.Status, 10_000);
        TakeMany(limiter, 2, DeviceKind.Sos, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static int TakeMany(DeviceRateLimiter limiter, int device, DeviceKind kind, int count)
    {
        int allowed = 0;
        for (int i = 0; i < count; i++)
        {
            if (limiter.Take(device, kind, out _) == RateVerdict.Allowed)
            {
                allowed++;
            }
        }
        return allowed;
    }
}
