using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class OneOpenAlertPerKindTests
{
    [Fact]
    public void A_second_dark_evening_adds_no_alert_while_the_first_is_open()
    {
        var t = EngineHarness.StartOne(At(12), policy: "\"inactivityHours\": 72");
        t.AdvanceTo(At(20));
        t.AdvanceTo(At(20, day: 1));

        Assert.Single(t.Raised(AlertKind.LightsNotOn));
        Assert.Empty(t.Changes(AlertChange.Repeated, AlertKind.LightsNotOn));
    }

    [Fact]
    public void A_dark_evening_after_the_first_alert_was_closed_raises_a_new_one()
    {
        var t = EngineHarness.StartOne(At(12), policy: "\"inactivityHours\": 72");
        t.AdvanceTo(At(20));
        t.SetClock(At(21));
        t.Engine.Resolve(t.OpenAlert(AlertKind.LightsNotOn)!.Id, "grid-worker", AlertOutcome.VisitedOk, "asleep early");

        // Closing it must not judge the same evening again.
        t.AdvanceTo(Before(At(20, day: 1)));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceTo(At(20, day: 1));
        Assert.Equal(2, t.Raised(AlertKind.LightsNotOn).Count);
    }

    [Fact]
    public void Different_kinds_are_open_side_by_side()
    {
        var t = EngineHarness.StartOne(At(21, day: -1));
        t.AdvanceTo(At(9, 30));

        Assert.Single(t.Raised(AlertKind.Inactivity));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
        Assert.Equal(2, t.Engine.OpenAlertCount);
    }

    [Fact]
    public void Activity_resolves_every_open_activity_alert_and_nothing_else()
    {
        var t = EngineHarness.StartOne(At(21, day: -1));
        t.AdvanceTo(At(9, 30));
        t.SetClock(At(9, 40));
        t.Sos("b1");
        t.Motion("m1");

        var resolved = t.Observer.Events.Where(e => e.Change == AlertChange.Resolved).Select(e => e.Alert.Kind).Order();
        Assert.Equal([AlertKind.Inactivity, AlertKind.NoMorningActivity], resolved);
        Assert.Equal(AlertKind.Sos, Assert.Single(t.Engine.OpenAlertsOf(0)).Kind);
    }

    [Fact]
    public void Households_do_not_share_open_alerts()
    {
        var t = EngineHarness.Start(TestRegistry.Of(TestRegistry.Household(id: "a"), TestRegistry.Household(id: "b")), At(12));
        t.Sos("b1", household: 0);
        t.Sos("b1", household: 1);

        Assert.Single(t.Raised(AlertKind.Sos, household: 0));
        Assert.Single(t.Raised(AlertKind.Sos, household: 1));
        Assert.Empty(t.Changes(AlertChange.Repeated, AlertKind.Sos));
        Assert.Equal(2, t.Engine.OpenAlertCount);
    }

    [Fact]
    public void Alert_ids_are_unique()
    {
        var t = EngineHarness.Start(TestRegistry.Of(TestRegistry.Household(id: "a"), TestRegistry.Household(id: "b")), At(12));
        t.Sos("b1", household: 0);
        t.Sos("b1", household: 1);
        t.Fall("f1", 1, household: 0);

        var ids = t.Observer.Events.Select(e => e.Alert.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
