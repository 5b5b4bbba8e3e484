using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class LowBatteryRuleTests
{
    private const string Policy = "\"inactivityHours\": 72";

    private static EngineHarness Start(string policy = Policy) =>
        EngineHarness.StartOne(At(10), policy: policy, devices: "door:d1,sos:b1");

    [Theory]
    [InlineData(14.9, true)]
    [InlineData(14.999999, true)]
    [InlineData(0, true)]
    [InlineData(15, false)]
    [InlineData(15.1, false)]
    [InlineData(100, false)]
    public void Battery_below_15_raises_and_15_does_not(double battery, bool raises)
    {
        var t = Start();
        t.Status("b1", battery);

        var raised = t.Raised(AlertKind.LowBattery);
        Assert.Equal(raises ? 1 : 0, raised.Count);
        if (raises)
        {
            Assert.Equal("b1", raised[0].Device);
            Assert.Equal(Severity.Low, raised[0].Severity);
            Assert.Equal(AlertLevel.Family, raised[0].Level);
        }
    }

    [Fact]
    public void A_status_without_a_battery_reading_raises_nothing()
    {
        var t = Start();
        t.Status("b1");
        Assert.Empty(t.Observer.Events);
    }

    [Fact]
    public void Low_battery_percent_override_sets_the_threshold()
    {
        var t = Start(Policy + ", \"lowBatteryPercent\": 30");
        t.Status("b1", 30);
        Assert.Empty(t.Raised(AlertKind.LowBattery));
        t.Status("b1", 29.9);
        Assert.Single(t.Raised(AlertKind.LowBattery));
    }

    [Fact]
    public void Repeated_low_readings_while_open_change_nothing()
    {
        var t = Start();
        t.Status("b1", 10);
        t.AdvanceBy(TimeSpan.FromHours(1));
        t.Status("b1", 9);

        Assert.Single(t.Observer.Events);
    }

    [Theory]
    [InlineData(19.9, false)]
    [InlineData(20, true)]
    [InlineData(80, true)]
    public void Resolves_when_the_battery_reads_five_points_above_the_threshold(double battery, bool resolves)
    {
        var t = Start();
        t.Status("b1", 10);
        t.AdvanceBy(TimeSpan.FromMinutes(5));
        t.Status("b1", battery);

        var resolved = t.Changes(AlertChange.Resolved, AlertKind.LowBattery);
        Assert.Equal(resolves ? 1 : 0, resolved.Count);
        if (resolves)
        {
            Assert.Equal(AlertOutcome.ActivityResumed, resolved[0].Outcome);
            Assert.Equal("system", resolved[0].ResolvedBy);
        }
    }

    [Fact]
    public void At_most_one_alert_a_day_per_device()
    {
        var t = Start();
        t.Status("b1", 10);
        t.SetClock(At(11));
        t.Status("b1", 90);
        Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.LowBattery));

        // A battery hovering round the threshold must not page the family again today.
        t.SetClock(At(12));
        t.Status("b1", 10);
        t.SetClock(Before(At(10, day: 1)));
        t.Status("b1", 10);
        Assert.Single(t.Raised(AlertKind.LowBattery));

        t.SetClock(At(10, day: 1));
        t.Status("b1", 10);
        Assert.Equal(2, t.Raised(AlertKind.LowBattery).Count);
    }

    [Fact]
    public void Each_device_has_its_own_alert_and_its_own_day()
    {
        var t = Start();
        t.Status("b1", 10);
        t.Status("d1", 12);
        Assert.Equal(["b1", "d1"], t.Raised(AlertKind.LowBattery).Select(a => a.Device));

        t.SetClock(At(11));
        t.Status("d1", 50);
        Assert.Equal("d1", Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.LowBattery)).Device);
        Assert.Equal("b1", Assert.Single(t.Engine.OpenAlertsOf(0), a => a.Kind == AlertKind.LowBattery).DeviceId);
    }

    [Fact]
    public void Low_battery_is_not_a_device_going_offline()
    {
        var t = Start();
        t.Status("b1", 10);
        Assert.Empty(t.Raised(AlertKind.DeviceOffline));
    }
}
