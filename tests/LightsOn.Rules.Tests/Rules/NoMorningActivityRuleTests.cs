using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class NoMorningActivityRuleTests
{
    private const string Policy = "\"inactivityHours\": 72";

    // Watched from the evening before, so the first morning judged is the test day's.
    private static EngineHarness StartTheEveningBefore(string policy = Policy) =>
        EngineHarness.StartOne(At(21, day: -1), policy: policy);

    [Fact]
    public void No_activity_by_09_30_raises_exactly_then()
    {
        var t = StartTheEveningBefore();

        t.AdvanceTo(Before(At(9, 30)));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));

        t.AdvanceTo(At(9, 30));
        var raised = Assert.Single(t.Raised(AlertKind.NoMorningActivity));
        Assert.Equal(t.Utc(At(9, 30)), raised.RaisedAt);
        Assert.Equal(Severity.High, raised.Severity);
        Assert.Equal(AlertLevel.Family, raised.Level);
    }

    [Fact]
    public void Activity_one_tick_before_05_00_does_not_count()
    {
        var t = StartTheEveningBefore();
        t.SetClock(Before(At(5)));
        t.Motion("m1");

        t.AdvanceTo(At(9, 30));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void Activity_exactly_at_05_00_counts()
    {
        var t = StartTheEveningBefore();
        t.SetClock(At(5));
        t.Motion("m1");

        t.AdvanceTo(At(12));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void Activity_one_tick_before_the_deadline_counts()
    {
        var t = StartTheEveningBefore();
        t.SetClock(Before(At(9, 30)));
        t.Door("d1", open: true);
        t.Door("d1", open: false);

        t.AdvanceTo(At(12));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void A_light_switched_on_in_the_morning_counts_as_activity()
    {
        var t = StartTheEveningBefore();
        t.SetClock(At(7));
        t.Light("l1", on: true);

        t.AdvanceTo(At(12));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void Motion_cleared_in_the_morning_is_not_activity()
    {
        var t = StartTheEveningBefore();
        t.SetClock(At(7));
        t.Motion("m1", motion: false);

        t.AdvanceTo(At(9, 30));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void Late_activity_resolves_it_as_activity_resumed()
    {
        var t = StartTheEveningBefore();
        t.AdvanceTo(At(9, 30));
        t.SetClock(At(9, 45));
        t.Motion("m1");

        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.NoMorningActivity));
        Assert.Equal(AlertOutcome.ActivityResumed, resolved.Outcome);
        Assert.Equal("system", resolved.ResolvedBy);
    }

    [Fact]
    public void Morning_by_override_moves_the_deadline()
    {
        var t = StartTheEveningBefore(Policy + ", \"morningBy\": \"08:00\"");

        t.AdvanceTo(Before(At(8)));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
        t.AdvanceTo(At(8));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void Morning_from_override_moves_the_window_start()
    {
        var t = StartTheEveningBefore(Policy + ", \"morningFrom\": \"06:00\"");
        t.SetClock(At(5, 30));
        t.Motion("m1");

        t.AdvanceTo(At(9, 30));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void A_household_watched_from_mid_morning_is_first_judged_the_next_morning()
    {
        var t = EngineHarness.StartOne(At(6), policy: Policy);

        t.AdvanceTo(At(12));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
        t.AdvanceTo(Before(At(9, 30, day: 1)));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
        t.AdvanceTo(At(9, 30, day: 1));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void Each_morning_is_judged_on_its_own()
    {
        var t = StartTheEveningBefore();
        t.SetClock(At(6));
        t.Motion("m1");
        t.AdvanceTo(At(12));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));

        t.AdvanceTo(At(9, 30, day: 1));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
    }
}
