using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class DoorLeftOpenRuleTests
{
    private const string Policy = "\"inactivityHours\": 72";

    [Fact]
    public void Door_open_for_exactly_30_minutes_raises()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy);
        t.SetClock(At(10, 15));
        t.Door("d1", open: true);

        t.AdvanceTo(Before(At(10, 45)));
        Assert.Empty(t.Raised(AlertKind.DoorLeftOpen));

        t.AdvanceTo(At(10, 45));
        var raised = Assert.Single(t.Raised(AlertKind.DoorLeftOpen));
        Assert.Equal(t.Utc(At(10, 45)), raised.RaisedAt);
        Assert.Equal(Severity.Medium, raised.Severity);
        Assert.Equal(AlertLevel.Family, raised.Level);
        Assert.Equal("d1", raised.Device);

        t.AdvanceTo(After(At(10, 45)));
        Assert.Single(t.Raised(AlertKind.DoorLeftOpen));
    }

    [Fact]
    public void Door_closed_one_tick_before_the_timeout_raises_nothing()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy);
        t.SetClock(At(10, 15));
        t.Door("d1", open: true);
        t.SetClock(Before(At(10, 45)));
        t.Door("d1", open: false);

        t.AdvanceTo(At(12));
        Assert.Empty(t.Raised(AlertKind.DoorLeftOpen));
    }

    [Fact]
    public void Closing_the_door_resolves_it_as_activity_resumed()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy);
        t.SetClock(At(10, 15));
        t.Door("d1", open: true);
        t.AdvanceTo(At(10, 45));
        t.SetClock(At(10, 50));
        t.Door("d1", open: false);

        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.DoorLeftOpen));
        Assert.Equal(AlertOutcome.ActivityResumed, resolved.Outcome);
        Assert.Equal("system", resolved.ResolvedBy);
        Assert.Equal(t.Utc(At(10, 50)), resolved.ResolvedAt);
        Assert.Equal(0, t.Engine.OpenAlertCount);
    }

    [Fact]
    public void Door_open_minutes_override_sets_the_timeout()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy + ", \"doorOpenMinutes\": 5");
        t.SetClock(At(10, 15));
        t.Door("d1", open: true);

        t.AdvanceTo(Before(At(10, 20)));
        Assert.Empty(t.Raised(AlertKind.DoorLeftOpen));
        t.AdvanceTo(At(10, 20));
        Assert.Single(t.Raised(AlertKind.DoorLeftOpen));
    }

    [Fact]
    public void A_reopened_door_counts_from_its_latest_opening()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy);
        t.SetClock(At(10));
        t.Door("d1", open: true);
        t.SetClock(At(10, 10));
        t.Door("d1", open: false);
        t.SetClock(At(10, 20));
        t.Door("d1", open: true);

        t.AdvanceTo(At(10, 30));
        t.AdvanceTo(Before(At(10, 50)));
        Assert.Empty(t.Raised(AlertKind.DoorLeftOpen));
        t.AdvanceTo(At(10, 50));
        Assert.Single(t.Raised(AlertKind.DoorLeftOpen));
    }

    [Fact]
    public void A_repeated_open_report_does_not_restart_the_timeout()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy);
        t.SetClock(At(10));
        t.Door("d1", open: true);
        t.SetClock(At(10, 20));
        t.Door("d1", open: true);

        t.AdvanceTo(At(10, 30));
        Assert.Single(t.Raised(AlertKind.DoorLeftOpen));
    }

    [Fact]
    public void Only_the_door_that_raised_it_resolves_it()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy, devices: "door:front,door:back,light:l1");
        t.SetClock(At(10));
        t.Door("front", open: true);
        t.AdvanceTo(At(10, 30));
        t.SetClock(At(10, 31));
        t.Door("back", open: false);

        Assert.NotNull(t.OpenAlert(AlertKind.DoorLeftOpen));
        t.Door("front", open: false);
        Assert.Null(t.OpenAlert(AlertKind.DoorLeftOpen));
    }

    [Fact]
    public void A_second_door_left_open_is_raised_once_the_first_alert_is_closed()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy, devices: "door:front,door:back,light:l1");
        t.SetClock(At(10));
        t.Door("front", open: true);
        t.SetClock(At(10, 20));
        t.Door("back", open: true);
        t.AdvanceTo(At(10, 30));
        Assert.Equal("front", Assert.Single(t.Raised(AlertKind.DoorLeftOpen)).Device);

        // One door-left-open per household: the back door waits for the front door's alert to close.
        t.SetClock(At(10, 40));
        t.Door("front", open: false);

        t.AdvanceTo(Before(At(10, 50)));
        Assert.Single(t.Raised(AlertKind.DoorLeftOpen));
        t.AdvanceTo(At(10, 50));
        var raised = t.Raised(AlertKind.DoorLeftOpen);
        Assert.Equal(2, raised.Count);
        Assert.Equal("back", raised[1].Device);
    }

    [Fact]
    public void Door_left_open_fires_while_away()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy);
        t.Engine.SetAway(0, null);
        t.SetClock(At(10, 15));
        t.Door("d1", open: true);

        t.AdvanceTo(At(10, 45));
        Assert.Single(t.Raised(AlertKind.DoorLeftOpen));
    }

    [Fact]
    public void An_operator_closing_it_while_the_door_stays_open_restarts_the_timeout_from_then()
    {
        var t = EngineHarness.StartOne(At(10), policy: Policy);
        t.SetClock(At(10));
        t.Door("d1", open: true);
        t.AdvanceTo(At(10, 30));
        t.SetClock(At(10, 40));
        Assert.Equal(AlertCommandResult.Done,
            t.Engine.Resolve(t.OpenAlert(AlertKind.DoorLeftOpen)!.Id, "grid-worker", AlertOutcome.VisitedOk, "airing the room"));

        t.AdvanceTo(Before(At(11, 10)));
        Assert.Single(t.Raised(AlertKind.DoorLeftOpen));
        t.AdvanceTo(At(11, 10));
        Assert.Equal(2, t.Raised(AlertKind.DoorLeftOpen).Count);
    }
}
