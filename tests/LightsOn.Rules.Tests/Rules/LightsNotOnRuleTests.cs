using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class LightsNotOnRuleTests
{
    // Inactivity is stretched out of the way: these tests are about the evening window only.
    private const string Policy = "\"inactivityHours\": 72";

    private static EngineHarness StartAtNoon(string? policy = Policy, string? timezone = "Asia/Shanghai") =>
        EngineHarness.StartOne(At(12), policy: policy, timezone: timezone);

    [Fact]
    public void No_light_by_the_deadline_raises_exactly_at_20_00()
    {
        var t = StartAtNoon();

        t.AdvanceTo(Before(At(20)));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));

        t.AdvanceTo(At(20));
        var raised = Assert.Single(t.Raised(AlertKind.LightsNotOn));
        Assert.Equal(t.Utc(At(20)), raised.RaisedAt);
        Assert.Equal(Severity.High, raised.Severity);
        Assert.Equal(AlertLevel.Family, raised.Level);
        Assert.Null(raised.Device);

        t.AdvanceTo(After(At(20)));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Light_switched_on_one_tick_before_the_deadline_counts()
    {
        var t = StartAtNoon();
        t.SetClock(Before(At(20)));
        t.Light("l1", on: true);

        t.AdvanceTo(At(21));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Light_switched_on_exactly_at_the_window_start_counts()
    {
        var t = StartAtNoon();
        t.SetClock(At(16));
        t.Light("l1", on: true);
        t.SetClock(At(16, 1));
        t.Light("l1", on: false);

        t.AdvanceTo(At(21));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Light_on_and_off_before_the_window_does_not_count()
    {
        var t = StartAtNoon();
        t.SetClock(Before(At(16)));
        t.Light("l1", on: true);
        t.Light("l1", on: false);

        t.AdvanceTo(At(20));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Light_switched_on_before_the_window_and_still_on_counts()
    {
        var t = StartAtNoon();
        t.SetClock(At(15));
        t.Light("l1", on: true);

        t.AdvanceTo(At(20));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Light_switched_on_exactly_at_the_deadline_and_processed_first_answers_it()
    {
        var t = StartAtNoon();
        t.SetClock(At(20));
        t.Light("l1", on: true);
        t.AdvanceTo(At(20));

        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Other_activity_in_the_evening_is_not_a_light()
    {
        var t = StartAtNoon();
        t.SetClock(At(18));
        t.Door("d1", open: true);
        t.Door("d1", open: false);
        t.Motion("m1");

        t.AdvanceTo(At(20));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Activity_after_the_deadline_resolves_it_as_activity_resumed()
    {
        var t = StartAtNoon();
        t.AdvanceTo(At(20));
        t.SetClock(At(20, 10));
        t.Motion("m1");

        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.LightsNotOn));
        Assert.Equal(AlertOutcome.ActivityResumed, resolved.Outcome);
        Assert.Equal("system", resolved.ResolvedBy);
    }

    [Fact]
    public void Each_evening_is_judged_on_its_own()
    {
        var t = StartAtNoon();
        t.SetClock(At(19));
        t.Light("l1", on: true);
        t.Light("l1", on: false);

        t.AdvanceTo(At(20));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceTo(Before(At(20, day: 1)));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceTo(At(20, day: 1));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void A_household_watched_from_mid_evening_is_first_judged_the_next_evening()
    {
        var t = EngineHarness.StartOne(At(17), policy: Policy);

        t.AdvanceTo(At(20));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceTo(At(20, day: 1));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void A_household_watched_from_exactly_the_window_start_is_judged_that_evening()
    {
        var t = EngineHarness.StartOne(At(16), policy: Policy);
        t.AdvanceTo(At(20));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void A_household_without_a_light_is_never_judged_on_lights()
    {
        var t = EngineHarness.StartOne(At(12), policy: Policy, devices: "door:d1,motion:m1");
        t.AdvanceTo(At(21, day: 1));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Lights_on_by_override_moves_the_deadline()
    {
        var t = StartAtNoon(Policy + ", \"eveningFrom\": \"17:00\", \"lightsOnBy\": \"21:30\"");
        t.SetClock(Before(At(17)));
        t.Light("l1", on: true);
        t.Light("l1", on: false);

        t.AdvanceTo(Before(At(21, 30)));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceTo(At(21, 30));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Window_crossing_midnight_raises_exactly_at_its_deadline_the_next_day()
    {
        var t = StartAtNoon(Policy + ", \"eveningFrom\": \"22:00\", \"lightsOnBy\": \"01:00\"");

        t.AdvanceTo(Before(At(1, day: 1)));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceTo(At(1, day: 1));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Window_crossing_midnight_counts_a_light_after_midnight()
    {
        var t = StartAtNoon(Policy + ", \"eveningFrom\": \"22:00\", \"lightsOnBy\": \"01:00\"");
        t.SetClock(Before(At(1, day: 1)));
        t.Light("l1", on: true);
        t.Light("l1", on: false);

        t.AdvanceTo(At(2, day: 1));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Window_crossing_midnight_ignores_a_light_before_its_start()
    {
        var t = StartAtNoon(Policy + ", \"eveningFrom\": \"22:00\", \"lightsOnBy\": \"01:00\"");
        t.SetClock(Before(At(22)));
        t.Light("l1", on: true);
        t.Light("l1", on: false);

        t.AdvanceTo(At(1, day: 1));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void The_same_utc_instant_is_judged_in_each_households_own_time_zone()
    {
        var t = EngineHarness.StartAtUtc(TestRegistry.Of(
                TestRegistry.Household(id: "sh", policy: Policy, timezone: "Asia/Shanghai"),
                TestRegistry.Household(id: "be", policy: Policy, timezone: "Europe/Berlin"),
                TestRegistry.Household(id: "ny", policy: Policy, timezone: "America/New_York")),
            new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero));

        // 20:00 in Shanghai (UTC+8) is 12:00 UTC: Berlin (UTC+1) is at 13:00, New York (UTC-5) at 07:00.
        t.AdvanceToUtc(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).UtcTicks - 1);
        Assert.Empty(t.Observer.Events);
        t.AdvanceToUtc(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).UtcTicks);
        Assert.Single(t.Raised(AlertKind.LightsNotOn, household: 0));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn, household: 1));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn, household: 2));

        t.AdvanceToUtc(new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero).UtcTicks - 1);
        Assert.Empty(t.Raised(AlertKind.LightsNotOn, household: 1));
        t.AdvanceToUtc(new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero).UtcTicks);
        Assert.Single(t.Raised(AlertKind.LightsNotOn, household: 1));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn, household: 2));

        t.AdvanceToUtc(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero).UtcTicks - 1);
        Assert.Empty(t.Raised(AlertKind.LightsNotOn, household: 2));
        t.AdvanceToUtc(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero).UtcTicks);
        Assert.Single(t.Raised(AlertKind.LightsNotOn, household: 2));
    }

    [Fact]
    public void A_light_at_one_utc_instant_is_inside_one_households_window_and_outside_anothers()
    {
        var t = EngineHarness.StartAtUtc(TestRegistry.Of(
                TestRegistry.Household(id: "sh", policy: Policy, timezone: "Asia/Shanghai"),
                TestRegistry.Household(id: "be", policy: Policy, timezone: "Europe/Berlin")),
            new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero));

        // 09:30 UTC: 17:30 in Shanghai (inside 16:00-20:00), 10:30 in Berlin (before it).
        t.SetClock(new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero).UtcTicks);
        t.Light("l1", on: true, household: 0);
        t.Light("l1", on: false, household: 0);
        t.Light("l1", on: true, household: 1);
        t.Light("l1", on: false, household: 1);

        t.AdvanceToUtc(new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.Zero).UtcTicks);
        Assert.Empty(t.Raised(AlertKind.LightsNotOn, household: 0));
        Assert.Single(t.Raised(AlertKind.LightsNotOn, household: 1));
    }

    [Fact]
    public void A_deadline_in_a_spring_forward_gap_falls_due_after_the_gap()
    {
        // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that night.
        // Read with the offset before the gap (UTC-5), 02:30 is due at 07:30 UTC = 03:30 EDT.
        var t = EngineHarness.StartAtUtc(TestRegistry.Of(
                TestRegistry.Household(policy: Policy + ", \"eveningFrom\": \"22:00\", \"lightsOnBy\": \"02:30\"", timezone: "America/New_York")),
            new DateTimeOffset(2026, 3, 7, 17, 0, 0, TimeSpan.Zero));
        long due = new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero).UtcTicks;

        t.AdvanceToUtc(due - 1);
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceToUtc(due);
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }
}
