using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class InactivityRuleTests
{
    [Theory]
    [InlineData("high", 12)]
    [InlineData("medium", 16)]
    [InlineData("low", 24)]
    public void Fires_exactly_at_last_activity_plus_the_risk_level_default(string risk, int hours)
    {
        var t = EngineHarness.StartOne(At(6), risk: risk);
        t.SetClock(At(7));
        t.Motion("m1");
        var due = At(7).AddHours(hours);

        t.AdvanceTo(Before(due));
        Assert.Empty(t.Raised(AlertKind.Inactivity));

        t.AdvanceTo(due);
        var raised = Assert.Single(t.Raised(AlertKind.Inactivity));
        Assert.Equal(t.Utc(due), raised.RaisedAt);
        Assert.Equal(Severity.High, raised.Severity);
        Assert.Equal(AlertLevel.Family, raised.Level);

        t.AdvanceTo(After(due));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void A_fresh_engine_counts_inactivity_from_its_start()
    {
        var t = EngineHarness.StartOne(At(6));
        t.AdvanceTo(Before(At(18)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(18));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void Inactivity_hours_override_replaces_the_risk_default()
    {
        var t = EngineHarness.StartOne(At(6), risk: "low", policy: "\"inactivityHours\": 8");
        t.SetClock(At(7));
        t.Door("d1", open: true);
        t.Door("d1", open: false);

        t.AdvanceTo(Before(At(15)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(15));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void Fractional_inactivity_hours_are_honoured_to_the_tick()
    {
        var t = EngineHarness.StartOne(At(6), policy: "\"inactivityHours\": 0.5");
        t.AdvanceTo(Before(At(6, 30)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(6, 30));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void Motion_cleared_is_not_activity()
    {
        var t = EngineHarness.StartOne(At(6));
        t.SetClock(At(10));
        t.Motion("m1", motion: false);

        t.AdvanceTo(At(18));
        Assert.Single(t.Raised(AlertKind.Inactivity));
        Assert.Equal(0, t.Engine.LastActivity(0));
    }

    [Fact]
    public void Light_switched_off_is_activity()
    {
        var t = EngineHarness.StartOne(At(6));
        t.SetClock(At(10));
        t.Light("l1", on: false);

        t.AdvanceTo(At(18));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(22));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void Fall_sos_and_heartbeats_are_not_activity()
    {
        var t = EngineHarness.StartOne(At(6));
        t.SetClock(At(10));
        t.Fall("f1", 0.1);
        t.Status("d1", battery: 80);
        t.Status("m1");

        t.AdvanceTo(At(18));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void Activity_resolves_it_as_activity_resumed_by_system()
    {
        var t = EngineHarness.StartOne(At(6));
        t.AdvanceTo(At(18));
        var alert = t.OpenAlert(AlertKind.Inactivity)!;

        t.SetClock(At(18, 5));
        t.Motion("m1");

        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.Inactivity));
        Assert.Equal(alert.Id, resolved.Id);
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal(AlertOutcome.ActivityResumed, resolved.Outcome);
        Assert.Equal("system", resolved.ResolvedBy);
        Assert.Equal(t.Utc(At(18, 5)), resolved.ResolvedAt);
        Assert.Null(t.OpenAlert(AlertKind.Inactivity));
    }

    [Fact]
    public void After_resuming_the_window_counts_again_from_the_activity()
    {
        var t = EngineHarness.StartOne(At(6));
        t.AdvanceTo(At(18));
        t.SetClock(At(18, 5));
        t.Motion("m1");

        t.AdvanceTo(Before(At(6, 5, day: 1)));
        Assert.Single(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(6, 5, day: 1));
        Assert.Equal(2, t.Raised(AlertKind.Inactivity).Count);
    }

    [Fact]
    public void Activity_in_the_meantime_moves_the_deadline_later()
    {
        var t = EngineHarness.StartOne(At(6));
        t.SetClock(At(17));
        t.Door("d1", open: true);
        t.Door("d1", open: false);

        t.AdvanceTo(At(18));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(Before(At(5, day: 1)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(5, day: 1));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void An_operator_closing_it_while_still_quiet_restarts_the_window_from_then()
    {
        var t = EngineHarness.StartOne(At(6));
        t.AdvanceTo(At(18));
        t.SetClock(At(19));
        Assert.Equal(AlertCommandResult.Done,
            t.Engine.Resolve(t.OpenAlert(AlertKind.Inactivity)!.Id, "grid-worker", AlertOutcome.VisitedOk, "asleep"));

        t.AdvanceTo(Before(At(7, day: 1)));
        Assert.Single(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(7, day: 1));
        Assert.Equal(2, t.Raised(AlertKind.Inactivity).Count);
    }

    [Fact]
    public void A_household_without_activity_sensors_is_never_inactive()
    {
        var t = EngineHarness.StartOne(At(6), devices: "sos:b1,fall:f1");
        t.AdvanceTo(At(6, day: 3));
        Assert.Empty(t.Observer.Events);
    }
}
