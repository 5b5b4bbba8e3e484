using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class EscalationTests
{
    private const string Policy = "\"inactivityHours\": 72";

    private static EngineHarness Start(string? flags = null) =>
        EngineHarness.StartOne(At(10), policy: Policy, flags: flags);

    private static IReadOnlyList<AlertLevel> EscalatedLevels(EngineHarness t, AlertKind kind) =>
        [.. t.Changes(AlertChange.Escalated, kind).Select(a => a.Level)];

    [Fact]
    public void Critical_goes_from_grid_to_emergency_after_exactly_3_minutes()
    {
        var t = Start();
        t.Sos("b1");
        var alert = t.OpenAlert(AlertKind.Sos)!;
        Assert.Equal(t.Utc(At(10, 3)), alert.EscalatesAt);

        t.AdvanceTo(Before(At(10, 3)));
        Assert.Equal(AlertLevel.Grid, alert.Level);

        t.AdvanceTo(At(10, 3));
        var escalated = Assert.Single(t.Changes(AlertChange.Escalated, AlertKind.Sos));
        Assert.Equal(AlertLevel.Emergency, escalated.Level);
        Assert.Equal(t.Utc(At(10, 3)), escalated.LevelSince);
        Assert.Equal(t.Utc(At(10, 3)), escalated.UpdatedAt);
        Assert.Equal(0, alert.EscalatesAt);

        // Emergency is the top level.
        t.AdvanceTo(At(12));
        Assert.Single(t.Changes(AlertChange.Escalated, AlertKind.Sos));
    }

    [Fact]
    public void High_goes_family_grid_emergency_every_15_minutes()
    {
        var t = Start();
        t.AdvanceTo(At(20)); // lights-not-on, high severity
        var alert = t.OpenAlert(AlertKind.LightsNotOn)!;
        Assert.Equal(AlertLevel.Family, alert.Level);

        t.AdvanceTo(Before(At(20, 15)));
        Assert.Empty(EscalatedLevels(t, AlertKind.LightsNotOn));
        t.AdvanceTo(At(20, 15));
        Assert.Equal([AlertLevel.Grid], EscalatedLevels(t, AlertKind.LightsNotOn));
        t.AdvanceTo(Before(At(20, 30)));
        Assert.Equal([AlertLevel.Grid], EscalatedLevels(t, AlertKind.LightsNotOn));
        t.AdvanceTo(At(20, 30));
        Assert.Equal([AlertLevel.Grid, AlertLevel.Emergency], EscalatedLevels(t, AlertKind.LightsNotOn));
        t.AdvanceTo(At(23));
        Assert.Equal(2, EscalatedLevels(t, AlertKind.LightsNotOn).Count);
    }

    [Fact]
    public void Medium_goes_family_grid_emergency_every_30_minutes()
    {
        var t = Start(flags: "wandering-risk");
        t.SetClock(At(23, 10));
        t.Door("d1", open: true);
        t.Door("d1", open: false);

        t.AdvanceTo(Before(At(23, 40)));
        Assert.Empty(EscalatedLevels(t, AlertKind.NightDoor));
        t.AdvanceTo(At(23, 40));
        Assert.Equal([AlertLevel.Grid], EscalatedLevels(t, AlertKind.NightDoor));
        t.AdvanceTo(Before(At(0, 10, day: 1)));
        Assert.Equal([AlertLevel.Grid], EscalatedLevels(t, AlertKind.NightDoor));
        t.AdvanceTo(At(0, 10, day: 1));
        Assert.Equal([AlertLevel.Grid, AlertLevel.Emergency], EscalatedLevels(t, AlertKind.NightDoor));
    }

    [Fact]
    public void Low_never_escalates()
    {
        var t = Start();
        t.Status("b1", battery: 3);
        var alert = t.OpenAlert(AlertKind.LowBattery)!;
        Assert.Equal(0, alert.EscalatesAt);

        t.AdvanceTo(At(10, day: 2));
        Assert.Empty(t.Changes(AlertChange.Escalated, AlertKind.LowBattery));
        Assert.Equal(AlertLevel.Family, alert.Level);
    }

    [Fact]
    public void A_repeat_does_not_restart_the_escalation_clock()
    {
        var t = Start();
        t.Sos("b1");
        t.SetClock(At(10, 2));
        t.Sos("b1");
        t.AdvanceTo(At(10, 3));

        Assert.Equal(AlertLevel.Emergency, t.OpenAlert(AlertKind.Sos)!.Level);
    }

    [Fact]
    public void Acknowledging_one_tick_before_the_timeout_stops_escalation()
    {
        var t = Start();
        t.Sos("b1");
        var alert = t.OpenAlert(AlertKind.Sos)!;
        t.SetClock(Before(At(10, 3)));

        Assert.Equal(AlertCommandResult.Done, t.Engine.Acknowledge(alert.Id, "grid-worker"));
        var acknowledged = Assert.Single(t.Changes(AlertChange.Acknowledged, AlertKind.Sos));
        Assert.Equal(AlertState.Acknowledged, acknowledged.State);
        Assert.Equal("grid-worker", acknowledged.AcknowledgedBy);
        Assert.Equal(t.Utc(Before(At(10, 3))), acknowledged.AcknowledgedAt);
        Assert.Equal(0, alert.EscalatesAt);

        t.AdvanceTo(At(11));
        Assert.Empty(t.Changes(AlertChange.Escalated, AlertKind.Sos));
        Assert.Equal(AlertLevel.Grid, alert.Level);
    }

    [Fact]
    public void Acknowledging_after_one_step_holds_the_level_reached()
    {
        var t = Start();
        t.AdvanceTo(At(20));
        t.AdvanceTo(At(20, 15));
        var alert = t.OpenAlert(AlertKind.LightsNotOn)!;
        t.Engine.Acknowledge(alert.Id, "grid-worker");

        t.AdvanceTo(At(21));
        Assert.Equal(AlertLevel.Grid, alert.Level);
        Assert.Single(t.Changes(AlertChange.Escalated, AlertKind.LightsNotOn));
    }

    [Fact]
    public void Acknowledge_result_codes()
    {
        var t = Start();
        t.Sos("b1");
        string id = t.OpenAlert(AlertKind.Sos)!.Id;

        Assert.Equal(AlertCommandResult.NotFound, t.Engine.Acknowledge("a-unknown", "grid-worker"));
        Assert.Equal(AlertCommandResult.Done, t.Engine.Acknowledge(id, "grid-worker"));
        Assert.Equal(AlertCommandResult.AlreadyAcknowledged, t.Engine.Acknowledge(id, "family"));
        Assert.Single(t.Changes(AlertChange.Acknowledged, AlertKind.Sos));
        Assert.Equal("grid-worker", t.OpenAlert(AlertKind.Sos)!.AcknowledgedBy);
    }

    [Fact]
    public void An_open_alert_can_be_resolved_without_an_acknowledgement()
    {
        var t = Start();
        t.Sos("b1");
        var alert = t.OpenAlert(AlertKind.Sos)!;
        t.SetClock(At(10, 1));

        Assert.Equal(AlertCommandResult.Done, t.Engine.Resolve(alert.Id, "grid-worker", AlertOutcome.Medical, "taken to hospital"));
        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.Sos));
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal("grid-worker", resolved.ResolvedBy);
        Assert.Equal(t.Utc(At(10, 1)), resolved.ResolvedAt);
        Assert.Equal(AlertOutcome.Medical, resolved.Outcome);
        Assert.Equal("taken to hospital", resolved.Note);
        Assert.Null(resolved.AcknowledgedBy);
        Assert.True(alert.IsClosed);
        Assert.Null(t.Engine.FindAlert(alert.Id));
        Assert.Equal(0, t.Engine.OpenAlertCount);

        t.AdvanceTo(At(11));
        Assert.Empty(t.Changes(AlertChange.Escalated, AlertKind.Sos));
    }

    [Fact]
    public void An_acknowledged_alert_is_resolved_with_its_acknowledgement_kept()
    {
        var t = Start();
        t.Sos("b1");
        var alert = t.OpenAlert(AlertKind.Sos)!;
        t.Engine.Acknowledge(alert.Id, "grid-worker");
        t.SetClock(At(10, 30));
        Assert.Equal(AlertCommandResult.Done, t.Engine.Resolve(alert.Id, "grid-worker", AlertOutcome.VisitedOk));

        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.Sos));
        Assert.Equal("grid-worker", resolved.AcknowledgedBy);
        Assert.Equal(AlertOutcome.VisitedOk, resolved.Outcome);
        Assert.Null(resolved.Note);
    }

    [Fact]
    public void Resolved_alerts_are_final()
    {
        var t = Start();
        t.Sos("b1");
        var alert = t.OpenAlert(AlertKind.Sos)!;
        t.Engine.Resolve(alert.Id, "grid-worker", AlertOutcome.FalseAlarm);
        int changes = t.Observer.Events.Count;

        Assert.NotEqual(AlertCommandResult.Done, t.Engine.Resolve(alert.Id, "other", AlertOutcome.Medical));
        Assert.NotEqual(AlertCommandResult.Done, t.Engine.Acknowledge(alert.Id, "other"));
        Assert.Equal(changes, t.Observer.Events.Count);
        Assert.Equal(AlertOutcome.FalseAlarm, alert.Outcome);
        Assert.Equal("grid-worker", alert.ResolvedBy);
    }

    [Fact]
    public void Resolve_of_an_unknown_alert_is_not_found()
    {
        var t = Start();
        Assert.Equal(AlertCommandResult.NotFound, t.Engine.Resolve("a-unknown", "grid-worker", AlertOutcome.Other));
    }

    [Fact]
    public void Escalation_timeouts_come_from_the_options()
    {
        var options = new RulesOptions { Escalation = new EscalationPolicy { Critical = TimeSpan.FromMinutes(1), Low = TimeSpan.FromHours(1) } };
        var t = EngineHarness.StartOne(At(10), policy: Policy, options: options);
        t.Sos("b1");
        t.Status("b1", battery: 3);

        t.AdvanceTo(At(10, 1));
        Assert.Equal(AlertLevel.Emergency, t.OpenAlert(AlertKind.Sos)!.Level);
        t.AdvanceTo(At(11));
        Assert.Equal(AlertLevel.Grid, t.OpenAlert(AlertKind.LowBattery)!.Level);
    }
}
