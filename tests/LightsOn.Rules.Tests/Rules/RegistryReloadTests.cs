using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

/// <summary>
/// A shard handed over to a changed registry (<see cref="RulesEngine.Reload"/>): what it knew of
/// the households that stay goes on, the new ones start fresh, and nothing of the ones that left
/// stays open.
/// </summary>
public sealed class RegistryReloadTests
{
    private const string Devices = "door:d1,light:l1,motion:m1,fall:f1,sos:b1";

    [Fact]
    public void Inactivity_counts_on_from_the_last_activity_before_the_reload()
    {
        var t = EngineHarness.Start(TestRegistry.Of(TestRegistry.Household("h1", policy: "\"inactivityHours\": 12")), At(7));
        t.SetClock(At(8));
        t.Motion("m1");
        t.AdvanceTo(At(12));

        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1", policy: "\"inactivityHours\": 12")).Households);
        Advance(t, engine, Before(At(20)));
        Assert.Empty(t.Raised(AlertKind.Inactivity));
        Advance(t, engine, At(20));
        Assert.Single(t.Raised(AlertKind.Inactivity));
    }

    [Fact]
    public void An_open_sos_stays_open_escalates_on_time_and_is_acknowledged_on_the_new_engine()
    {
        var t = EngineHarness.StartOne(At(9));
        t.Sos("b1");
        var raised = Assert.Single(t.Raised(AlertKind.Sos));
        t.AdvanceBy(TimeSpan.FromMinutes(1));

        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1", devices: Devices)).Households);
        Assert.Equal(raised.Id, Assert.Single(engine.OpenAlertsOf(0)).Id);
        Assert.DoesNotContain(t.Observer.Events, e => e.Change == AlertChange.Resolved);

        // Critical: grid for 3 minutes from the press, then the emergency team.
        Advance(t, engine, t.LocalNow().AddMinutes(2).AddTicks(-1));
        Assert.Empty(t.Changes(AlertChange.Escalated, AlertKind.Sos));
        Advance(t, engine, t.LocalNow().AddTicks(1));
        Assert.Equal(AlertLevel.Emergency, Assert.Single(t.Changes(AlertChange.Escalated, AlertKind.Sos)).Level);

        Assert.Equal(AlertCommandResult.Done, engine.Acknowledge(raised.Id, "grid-worker"));
    }

    [Fact]
    public void A_household_that_left_has_its_open_alerts_resolved_and_announced()
    {
        var t = EngineHarness.Start(TestRegistry.Of(
            TestRegistry.Household("h1"), TestRegistry.Household("h2")), At(9));
        t.Sos("b1", household: 1);

        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1")).Households);

        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.Sos, household: 1));
        Assert.Equal(AlertOutcome.Other, resolved.Outcome);
        Assert.Equal(RulesEngine.RemovedFromRegistryNote, resolved.Note);
        Assert.Equal(0, engine.OpenAlertCount);
        Assert.Equal(1, engine.HouseholdCount);
    }

    [Fact]
    public void A_device_that_left_takes_its_offline_alert_with_it_but_an_sos_from_it_stays_open()
    {
        var t = EngineHarness.StartOne(At(9), policy: "\"heartbeatMinutes\": 30");
        t.Sos("b1");
        t.AdvanceTo(At(9).AddMinutes(31));
        Assert.Equal(5, t.Raised(AlertKind.DeviceOffline).Count);

        // The SOS button (b1) and the light (l1) are taken out; the others stay.
        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1", devices: "door:d1,motion:m1,fall:f1",
            policy: "\"heartbeatMinutes\": 30")).Households);

        var closed = t.Observer.Events.Where(e => e.Change == AlertChange.Resolved).Select(e => e.Alert).ToList();
        Assert.Equal(["b1", "l1"], closed.Select(a => a.Device).Order());
        Assert.All(closed, a => Assert.Equal(AlertKind.DeviceOffline, a.Kind));
        Assert.All(closed, a => Assert.Equal(AlertOutcome.Other, a.Outcome));
        var open = engine.OpenAlertsOf(0).ToList();
        Assert.Equal(["d1", "f1", "m1"], open.Where(a => a.Kind == AlertKind.DeviceOffline).Select(a => a.DeviceId).Order());
        var sos = Assert.Single(open, a => a.Kind == AlertKind.Sos);
        Assert.Null(sos.DeviceId);
    }

    [Fact]
    public void Devices_are_matched_by_id_so_a_reordered_door_clears_its_own_offline_alert()
    {
        var t = EngineHarness.StartOne(At(9), policy: "\"heartbeatMinutes\": 30", devices: "door:d1,motion:m1");
        t.AdvanceTo(At(9).AddMinutes(31));

        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1", devices: "motion:m1,door:d1",
            policy: "\"heartbeatMinutes\": 30")).Households);
        engine.Process(TelemetryEvent.Door(0, 1, t.Now, true));

        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.DeviceOffline));
        Assert.Equal("d1", resolved.Device);
        Assert.Equal(AlertOutcome.ActivityResumed, resolved.Outcome);
    }

    [Fact]
    public void A_new_household_starts_fresh_from_the_reload()
    {
        var t = EngineHarness.StartOne(At(9));
        t.AdvanceTo(At(10));

        var engine = t.Engine.Reload(Registry(
            TestRegistry.Household("h1"),
            TestRegistry.Household("h2", devices: "motion:m1", policy: "\"heartbeatMinutes\": 30")).Households);

        Advance(t, engine, At(10).AddMinutes(29));
        Assert.DoesNotContain(t.Observer.Events, e => e.Alert.Household == "h2");
        Advance(t, engine, At(10).AddMinutes(30));
        Assert.Equal("m1", Assert.Single(t.Observer.Events, e => e.Alert.Household == "h2").Alert.Device);
    }

    [Fact]
    public void An_earlier_lights_on_deadline_applies_to_the_evening_under_way()
    {
        var t = EngineHarness.StartOne(At(9));
        t.AdvanceTo(At(17));

        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1", policy: "\"lightsOnBy\": \"19:00\"")).Households);

        Advance(t, engine, Before(At(19)));
        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
        Advance(t, engine, At(19));
        Assert.Single(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void A_light_before_the_reload_answers_for_its_evening()
    {
        var t = EngineHarness.StartOne(At(9));
        t.SetClock(At(17));
        t.Light("l1", on: true);
        t.Light("l1", on: false);
        t.AdvanceTo(At(18));

        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1", risk: "low")).Households);
        Advance(t, engine, At(21));

        Assert.Empty(t.Raised(AlertKind.LightsNotOn));
    }

    [Fact]
    public void Alert_ids_stay_unique_across_a_reload()
    {
        var t = EngineHarness.StartOne(At(9));
        t.Sos("b1");
        t.Engine.Resolve(t.OpenAlert(AlertKind.Sos)!.Id, "grid-worker", AlertOutcome.FalseAlarm);

        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1")).Households);
        engine.Process(TelemetryEvent.Sos(0, 4, t.Now));

        var ids = t.Raised(AlertKind.Sos).Select(a => a.Id).ToList();
        Assert.Equal(2, ids.Count);
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public void A_household_away_stays_away()
    {
        var t = EngineHarness.StartOne(At(9));
        t.Engine.SetAway(0, until: null);

        var engine = t.Engine.Reload(Registry(TestRegistry.Household("h1")).Households);
        Advance(t, engine, At(10, day: 2));

        Assert.True(engine.IsAway(0));
        Assert.Empty(t.Observer.Events);
    }

    private static Registry Registry(params string[] households) => TestRegistry.Parse(households);

    private static void Advance(EngineHarness t, RulesEngine engine, DateTime local)
    {
        t.SetClock(local);
        engine.Advance();
    }
}
