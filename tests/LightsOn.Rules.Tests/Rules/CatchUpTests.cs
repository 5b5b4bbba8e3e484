using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

/// <summary>A shard restarted after a gap: what was due while it was down fires on the first Advance.</summary>
public sealed class CatchUpTests
{
    private static EngineHarness RestartAt(DateTime localNow, string? policy = null, string? flags = null) =>
        EngineHarness.StartOne(localNow, policy: policy, flags: flags);

    private static HouseholdCheckpoint Checkpoint(EngineHarness t, DateTime knownUntil, DateTime? lastActivity = null,
        DateTime? lastLight = null) => new()
    {
        KnownUntil = t.Utc(knownUntil),
        LastActivity = lastActivity is { } a ? t.Utc(a) : 0,
        LastLightEvent = lastLight is { } l ? t.Utc(l) : 0,
    };

    [Fact]
    public void Overdue_inactivity_fires_on_the_first_advance_and_not_before()
    {
        var t = RestartAt(At(15, day: 3));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11)));
        Assert.Empty(t.Observer.Events);

        t.Engine.Advance();
        var raised = Assert.Single(t.Raised(AlertKind.Inactivity));
        Assert.Equal(t.Now, raised.RaisedAt);
        Assert.Equal(t.Utc(At(11)), t.Engine.LastActivity(0));
    }

    [Fact]
    public void Inactivity_not_yet_due_waits_for_its_time()
    {
        var t = RestartAt(At(20));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11), lastLight: At(19)));

        t.AdvanceTo(Before(At(23)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(23));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void Only_the_latest_missed_evening_and_morning_are_judged()
    {
        var t = RestartAt(At(15, day: 3));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11)));
        t.Engine.Advance();

        // Evenings of days 0, 1 and 2 and mornings of days 1, 2 and 3 passed: one alert each.
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
        Assert.Single(t.Raised(AlertKind.NoMorningActivity));
        Assert.Empty(t.Changes(AlertChange.Repeated, AlertKind.LightsNotOn));

        // The next evening is judged in its turn.
        t.SetClock(At(16, day: 3));
        t.Engine.Resolve(t.OpenAlert(AlertKind.LightsNotOn)!.Id, "grid-worker", AlertOutcome.VisitedOk);
        t.AdvanceTo(Before(At(20, day: 3)));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceTo(At(20, day: 3));
        Assert.Equal(2, t.Raised(AlertKind.LightsNotOn).Count);
    }

    [Fact]
    public void A_light_before_the_checkpoint_answers_for_its_evening()
    {
        var t = RestartAt(At(21));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(18), lastActivity: At(17), lastLight: At(17)));
        t.Engine.Advance();

        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void A_lit_evening_long_ago_does_not_answer_for_the_latest()
    {
        var t = RestartAt(At(21, day: 2));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(18), lastActivity: At(17), lastLight: At(17)));
        t.Engine.Advance();

        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void A_window_that_ended_before_the_checkpoint_is_not_judged_again()
    {
        var t = RestartAt(At(10, 30));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(10), lastActivity: At(4)));
        t.Engine.Advance();

        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void A_light_left_on_at_the_checkpoint_answers_for_the_evening()
    {
        var t = RestartAt(At(21));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11), lastLight: At(11)) with
        {
            Devices = [new DeviceCheckpoint { Id = "l1", LastSeen = t.Utc(At(11)), OnSince = t.Utc(At(11)) }],
        });
        t.Engine.Advance();

        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Restored_open_alerts_escalate_step_by_step_on_the_first_advance()
    {
        var t = RestartAt(At(13));
        var raisedAt = t.Utc(At(11, 55));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11)) with
        {
            OpenAlerts = [new AlertRecord
            {
                Id = "a-restored", Household = "h1", Kind = AlertKind.NoMorningActivity, Severity = Severity.High,
                State = AlertState.Open, Level = AlertLevel.Family, RaisedAt = raisedAt, Reason = "No activity",
            }],
        });
        Assert.Empty(t.Observer.Events);
        Assert.Equal(1, t.Engine.OpenAlertCount);

        t.Engine.Advance();
        var steps = t.Changes(AlertChange.Escalated, AlertKind.NoMorningActivity);
        Assert.Equal([AlertLevel.Grid, AlertLevel.Emergency], steps.Select(s => s.Level));
        // Each level counts from when the previous one was reached, not from the restart.
        Assert.Equal([t.Utc(At(12, 10)), t.Utc(At(12, 25))], steps.Select(s => s.LevelSince));
        Assert.All(steps, s => Assert.Equal("a-restored", s.Id));
        Assert.Empty(t.Raised(AlertKind.NoMorningActivity));
    }

    [Fact]
    public void A_restored_alert_takes_only_the_steps_that_are_due()
    {
        var t = RestartAt(At(12, 20));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11)) with
        {
            OpenAlerts = [new AlertRecord
            {
                Id = "a-restored", Household = "h1", Kind = AlertKind.Sos, Severity = Severity.Critical,
                State = AlertState.Open, Level = AlertLevel.Grid, RaisedAt = t.Utc(At(12, 10)), Device = "b1",
            }],
        });
        var alert = t.Engine.FindAlert("a-restored")!;
        Assert.Equal(t.Utc(At(12, 13)), alert.EscalatesAt);

        t.Engine.Advance();
        Assert.Equal(AlertLevel.Emergency, alert.Level);
        Assert.Single(t.Changes(AlertChange.Escalated, AlertKind.Sos));
    }

    [Fact]
    public void A_restored_alert_resumes_from_the_level_it_had_reached()
    {
        var t = RestartAt(At(12, 20));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11)) with
        {
            OpenAlerts = [new AlertRecord
            {
                Id = "a-restored", Household = "h1", Kind = AlertKind.DoorLeftOpen, Severity = Severity.Medium,
                State = AlertState.Open, Level = AlertLevel.Grid, RaisedAt = t.Utc(At(11)), LevelSince = t.Utc(At(11, 55)),
                Device = "d1",
            }],
        });
        var alert = t.Engine.FindAlert("a-restored")!;

        t.AdvanceTo(Before(At(12, 25)));
        Assert.Equal(AlertLevel.Grid, alert.Level);
        t.AdvanceTo(At(12, 25));
        Assert.Equal(AlertLevel.Emergency, alert.Level);
    }

    [Fact]
    public void A_restored_acknowledged_alert_does_not_escalate()
    {
        var t = RestartAt(At(15));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11)) with
        {
            OpenAlerts = [new AlertRecord
            {
                Id = "a-restored", Household = "h1", Kind = AlertKind.Fall, Severity = Severity.Critical,
                State = AlertState.Acknowledged, Level = AlertLevel.Grid, RaisedAt = t.Utc(At(11, 50)), Device = "f1",
                AcknowledgedBy = "grid-worker", AcknowledgedAt = t.Utc(At(11, 51)),
            }],
        });
        t.Engine.Advance();

        Assert.Empty(t.Changes(AlertChange.Escalated, AlertKind.Fall));
        Assert.Equal(AlertCommandResult.AlreadyAcknowledged, t.Engine.Acknowledge("a-restored", "family"));
    }

    [Fact]
    public void A_restored_open_inactivity_alert_is_not_raised_again()
    {
        var t = RestartAt(At(15, day: 2));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(1)) with
        {
            OpenAlerts = [new AlertRecord
            {
                Id = "a-restored", Household = "h1", Kind = AlertKind.Inactivity, Severity = Severity.High,
                State = AlertState.Acknowledged, Level = AlertLevel.Family, RaisedAt = t.Utc(At(11)),
            }],
        });
        t.Engine.Advance();
        Assert.Empty(t.Raised(AlertKind.Inactivity));

        t.SetClock(At(16, day: 2));
        t.Motion("m1");
        Assert.Equal("a-restored", Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.Inactivity)).Id);
    }

    [Fact]
    public void Devices_and_doors_from_the_checkpoint_are_timed_from_their_last_message()
    {
        var t = RestartAt(At(12, 20), policy: "\"heartbeatMinutes\": 30");
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(12), lastActivity: At(11, 45)) with
        {
            Devices =
            [
                new DeviceCheckpoint { Id = "d1", LastSeen = t.Utc(At(11, 45)), OnSince = t.Utc(At(11, 45)) },
                new DeviceCheckpoint { Id = "l1", LastSeen = t.Utc(At(11, 55)) },
                new DeviceCheckpoint { Id = "no-longer-registered", LastSeen = t.Utc(At(11, 55)) },
            ],
        });

        // The door opened at 11:45 and its last message are both overdue since 12:15.
        t.Engine.Advance();
        Assert.Equal("d1", Assert.Single(t.Raised(AlertKind.DoorLeftOpen)).Device);
        Assert.Equal(["d1"], t.Raised(AlertKind.DeviceOffline).Select(a => a.Device));

        t.AdvanceTo(Before(At(12, 25)));
        Assert.Single(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(12, 25));
        Assert.Equal(["d1", "l1"], t.Raised(AlertKind.DeviceOffline).Select(a => a.Device));

        // Devices the checkpoint does not name count from KnownUntil.
        t.AdvanceTo(Before(At(12, 30)));
        Assert.Equal(2, t.Raised(AlertKind.DeviceOffline).Count);
        t.AdvanceTo(At(12, 30));
        Assert.Equal(["b1", "d1", "f1", "l1", "m1"], t.Raised(AlertKind.DeviceOffline).Select(a => a.Device!).Order());
    }

    [Fact]
    public void A_return_from_away_while_down_counts_inactivity_from_the_return()
    {
        var t = RestartAt(At(21));
        t.Engine.Restore(0, Checkpoint(t, knownUntil: At(8), lastActivity: At(1, day: -3)) with { AwayUntil = t.Utc(At(10)) });

        t.Engine.Advance();
        Assert.False(t.Engine.IsAway(0));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        // The evening that started after the return was dark.
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
        t.AdvanceTo(Before(At(22)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        t.AdvanceTo(At(22));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }
}
