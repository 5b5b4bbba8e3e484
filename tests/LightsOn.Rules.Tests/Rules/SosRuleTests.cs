using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class SosRuleTests
{
    [Fact]
    public void Sos_press_raises_a_critical_alert_at_grid_level_stamped_with_engine_time()
    {
        var t = EngineHarness.StartOne(At(10));
        t.SetClock(At(10, 5));
        // The device clock lags: raisedAt is the engine's time, not the event's.
        t.Engine.Process(TelemetryEvent.Sos(0, t.DeviceIndex(0, "b1"), t.Utc(At(10, 4))));

        var raised = Assert.Single(t.Raised(AlertKind.Sos));
        Assert.Equal(Severity.Critical, raised.Severity);
        Assert.Equal(AlertLevel.Grid, raised.Level);
        Assert.Equal(AlertState.Open, raised.State);
        Assert.Equal("b1", raised.Device);
        Assert.Equal(t.Utc(At(10, 5)), raised.RaisedAt);
        Assert.Equal(1, raised.Count);
    }

    [Fact]
    public void Second_press_while_open_is_repeated_on_the_same_alert()
    {
        var t = EngineHarness.StartOne(At(10));
        t.Sos("b1");
        var first = t.OpenAlert(AlertKind.Sos)!;
        t.AdvanceBy(TimeSpan.FromMinutes(1));
        t.Sos("b1");

        Assert.Single(t.Raised(AlertKind.Sos));
        var repeated = Assert.Single(t.Changes(AlertChange.Repeated, AlertKind.Sos));
        Assert.Equal(first.Id, repeated.Id);
        Assert.Equal(2, repeated.Count);
        Assert.Equal(t.Now, repeated.UpdatedAt);
        Assert.Equal(1, t.Engine.OpenAlertCount);
    }

    [Fact]
    public void Press_while_acknowledged_is_still_added_to_the_open_alert()
    {
        var t = EngineHarness.StartOne(At(10));
        t.Sos("b1");
        var alert = t.OpenAlert(AlertKind.Sos)!;
        t.Engine.Acknowledge(alert.Id, "grid-worker");
        t.Sos("b1");

        Assert.Single(t.Raised(AlertKind.Sos));
        Assert.Equal(2, alert.Count);
        Assert.Equal(AlertState.Acknowledged, alert.State);
    }

    [Fact]
    public void Press_after_resolution_raises_a_new_alert()
    {
        var t = EngineHarness.StartOne(At(10));
        t.Sos("b1");
        var first = t.OpenAlert(AlertKind.Sos)!;
        Assert.Equal(AlertCommandResult.Done, t.Engine.Resolve(first.Id, "grid-worker", AlertOutcome.VisitedOk, "pressed by mistake"));
        t.AdvanceBy(TimeSpan.FromMinutes(1));
        t.Sos("b1");

        var raised = t.Raised(AlertKind.Sos);
        Assert.Equal(2, raised.Count);
        Assert.NotEqual(raised[0].Id, raised[1].Id);
        Assert.Equal(1, raised[1].Count);
        Assert.Equal(AlertLevel.Grid, raised[1].Level);
    }

    [Fact]
    public void Sos_is_not_activity()
    {
        var t = EngineHarness.StartOne(At(10), policy: "\"inactivityHours\": 2");
        t.AdvanceTo(At(11));
        t.Sos("b1");
        t.AdvanceTo(At(12));

        Assert.Single(t.Raised(AlertKind.Inactivity));
    }
}
