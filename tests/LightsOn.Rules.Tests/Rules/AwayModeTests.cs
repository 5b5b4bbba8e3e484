using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class AwayModeTests
{
    [Fact]
    public void Away_suppresses_inactivity_lights_not_on_and_no_morning_activity()
    {
        var t = EngineHarness.StartOne(At(12));
        t.Engine.SetAway(0, null);

        t.AdvanceTo(At(12, day: 3));
        Assert.True(t.Engine.IsAway(0));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void Sos_fall_night_door_and_device_alerts_still_fire_while_away()
    {
        var t = EngineHarness.StartOne(At(12), flags: "wandering-risk", policy: "\"heartbeatMinutes\": 30");
        t.Engine.SetAway(0, null);
        t.SetClock(At(12, 1));
        t.Sos("b1");
        t.Fall("f1", 0.9);
        t.Status("f1", battery: 5);
        t.SetClock(At(23, 30));
        t.Door("d1", open: true);
        t.Door("d1", open: false);
        t.AdvanceTo(At(23, 31));

        Assert.Single(t.Raised(AlertKind.Sos));
        Assert.Single(t.Raised(AlertKind.Fall));
        Assert.Single(t.Raised(AlertKind.LowBattery));
        Assert.Single(t.Raised(AlertKind.NightDoor));
        Assert.NotEmpty(t.Raised(AlertKind.DeviceOffline));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Away_until_a_time_ends_exactly_then_and_re_arms_the_activity_rules_from_the_return()
    {
        var t = EngineHarness.StartOne(At(12));
        t.Engine.SetAway(0, t.Utc(At(10, day: 1)));

        t.AdvanceTo(Before(At(10, day: 1)));
        Assert.True(t.Engine.IsAway(0));
        Assert.Empty(t.Observer.Events);

        t.AdvanceTo(At(10, day: 1));
        Assert.False(t.Engine.IsAway(0));
        // The return is not activity: the morning window already under way is not judged.
        Assert.Empty(t.Observer.Events);

        // The first evening judged is the one starting after the return.
        t.AdvanceTo(Before(At(20, day: 1)));
        Assert.Empty(t.Observer.Events);
        t.AdvanceTo(At(20, day: 1));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));

        // Inactivity counts from the return (high risk: 12 h).
        t.AdvanceTo(Before(At(22, day: 1)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(22, day: 1));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void Clearing_away_re_arms_the_activity_rules_from_now()
    {
        var t = EngineHarness.StartOne(At(12));
        t.Engine.SetAway(0, null);
        t.AdvanceTo(At(17, day: 1));
        t.Engine.ClearAway(0);
        Assert.False(t.Engine.IsAway(0));

        // The evening window under way when the household came back is not judged.
        t.AdvanceTo(At(20, day: 1));
        Assert.Empty(t.Observer.Events);

        t.AdvanceTo(Before(At(5, day: 2)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(5, day: 2));
        Assert.Single(t.Raised(AlertKind.Inactivity));

        t.AdvanceTo(At(9, 30, day: 2));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
        t.AdvanceTo(At(20, day: 2));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Clearing_away_when_at_home_does_not_restart_inactivity()
    {
        var t = EngineHarness.StartOne(At(12));
        t.AdvanceTo(At(18));
        t.Engine.ClearAway(0);

        t.AdvanceTo(Before(At(0, day: 1)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(0, day: 1));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void An_away_period_must_end_in_the_future()
    {
        var t = EngineHarness.StartOne(At(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Engine.SetAway(0, t.Now));
        Assert.False(t.Engine.IsAway(0));
    }

    [Fact]
    public void Away_is_per_household()
    {
        var t = EngineHarness.Start(TestRegistry.Of(TestRegistry.Household(id: "a"), TestRegistry.Household(id: "b")), At(12));
        t.Engine.SetAway(0, null);

        t.AdvanceTo(At(20));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn, household: 0));
        Assert.Single(t.Raised(AlertKind.LightsNotOn, household: 1));
    }
}
