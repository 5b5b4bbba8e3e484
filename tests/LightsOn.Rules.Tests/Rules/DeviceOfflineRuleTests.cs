using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

public sealed class DeviceOfflineRuleTests
{
    // The default heartbeat timeout (30 min) is in force unless a test sets its own.
    private const string Policy = "\"inactivityHours\": 72, \"heartbeatMinutes\": 30";

    private static EngineHarness Start(string policy = Policy, string devices = "door:d1,light:l1") =>
        EngineHarness.StartOne(At(10), policy: policy, devices: devices);

    [Fact]
    public void Without_a_heartbeat_key_the_timeout_is_30_minutes()
    {
        var t = EngineHarness.Start(TestRegistry.Of("""
            {"id":"h1","community":"c1","risk":"high","devices":[{"id":"d1","kind":"door"}]}
            """), At(10));

        t.AdvanceTo(Before(At(10, 30)));
        Assert.Empty(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(10, 30));
        Assert.Single(t.Raised(AlertKind.DeviceOffline));
    }

    [Fact]
    public void Fires_exactly_the_heartbeat_timeout_after_the_last_message()
    {
        var t = Start();
        t.SetClock(At(10, 10));
        t.Door("d1", open: true);
        t.Door("d1", open: false);
        t.Light("l1", on: false);

        t.AdvanceTo(Before(At(10, 40)));
        Assert.Empty(t.Raised(AlertKind.DeviceOffline));

        t.AdvanceTo(At(10, 40));
        var raised = t.Raised(AlertKind.DeviceOffline);
        Assert.Equal(["d1", "l1"], raised.Select(a => a.Device).Order());
        Assert.All(raised, a => Assert.Equal(Severity.Low, a.Severity));
        Assert.All(raised, a => Assert.Equal(AlertLevel.Family, a.Level));
        Assert.All(raised, a => Assert.Equal(t.Utc(At(10, 40)), a.RaisedAt));
    }

    [Fact]
    public void A_fresh_engine_counts_from_its_start()
    {
        var t = Start();
        t.AdvanceTo(Before(At(10, 30)));
        Assert.Empty(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(10, 30));
        Assert.Equal(2, t.Raised(AlertKind.DeviceOffline).Count);
    }

    [Fact]
    public void A_status_heartbeat_resets_the_timeout()
    {
        var t = Start();
        t.SetClock(At(10, 20));
        t.Status("d1");
        t.Status("l1", battery: 90);

        t.AdvanceTo(At(10, 30));
        Assert.Empty(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(Before(At(10, 50)));
        Assert.Empty(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(10, 50));
        Assert.Equal(2, t.Raised(AlertKind.DeviceOffline).Count);
    }

    [Fact]
    public void Motion_cleared_is_still_a_heartbeat()
    {
        var t = Start(devices: "motion:m1");
        t.SetClock(At(10, 20));
        t.Motion("m1", motion: false);

        t.AdvanceTo(Before(At(10, 50)));
        Assert.Empty(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(10, 50));
        Assert.Single(t.Raised(AlertKind.DeviceOffline));
    }

    [Fact]
    public void Each_device_is_timed_on_its_own()
    {
        var t = Start();
        t.SetClock(At(10, 20));
        t.Status("l1");

        t.AdvanceTo(At(10, 30));
        Assert.Equal("d1", Assert.Single(t.Raised(AlertKind.DeviceOffline)).Device);
        t.AdvanceTo(Before(At(10, 50)));
        Assert.Single(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(10, 50));
        Assert.Equal(["d1", "l1"], t.Raised(AlertKind.DeviceOffline).Select(a => a.Device));
        Assert.Equal(2, t.Engine.OpenAlertsOf(0).Count(a => a.Kind == AlertKind.DeviceOffline));
    }

    [Fact]
    public void Hearing_the_device_again_resolves_its_alert_only()
    {
        var t = Start();
        t.AdvanceTo(At(10, 30));
        t.SetClock(At(10, 35));
        t.Status("l1");

        var resolved = Assert.Single(t.Changes(AlertChange.Resolved, AlertKind.DeviceOffline));
        Assert.Equal("l1", resolved.Device);
        Assert.Equal(AlertOutcome.ActivityResumed, resolved.Outcome);
        Assert.Equal("system", resolved.ResolvedBy);
        Assert.Equal("d1", Assert.Single(t.Engine.OpenAlertsOf(0), a => a.Kind == AlertKind.DeviceOffline).DeviceId);
    }

    [Fact]
    public void A_device_heard_again_is_timed_again_from_its_message()
    {
        var t = Start(devices: "door:d1");
        t.AdvanceTo(At(10, 30));
        t.SetClock(At(10, 35));
        t.Status("d1");

        t.AdvanceTo(Before(At(11, 5)));
        Assert.Single(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(11, 5));
        Assert.Equal(2, t.Raised(AlertKind.DeviceOffline).Count);
    }

    [Fact]
    public void An_offline_device_raises_one_alert_however_long_it_stays_silent()
    {
        var t = Start(devices: "door:d1");
        t.AdvanceTo(At(10, 30));
        t.AdvanceTo(At(14));
        t.AdvanceTo(At(10, day: 1));
        Assert.Single(t.Raised(AlertKind.DeviceOffline));
    }

    [Fact]
    public void An_operator_closing_it_restarts_the_timeout_from_then()
    {
        var t = Start(devices: "door:d1");
        t.AdvanceTo(At(10, 30));
        t.SetClock(At(10, 40));
        t.Engine.Resolve(t.OpenAlert(AlertKind.DeviceOffline)!.Id, "operator", AlertOutcome.Other, "battery replaced soon");

        t.AdvanceTo(Before(At(11, 10)));
        Assert.Single(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(11, 10));
        Assert.Equal(2, t.Raised(AlertKind.DeviceOffline).Count);
    }

    [Fact]
    public void Heartbeat_minutes_override_sets_the_timeout()
    {
        var t = Start(policy: "\"inactivityHours\": 72, \"heartbeatMinutes\": 120", devices: "door:d1");
        t.AdvanceTo(Before(At(12)));
        Assert.Empty(t.Raised(AlertKind.DeviceOffline));
        t.AdvanceTo(At(12));
        Assert.Single(t.Raised(AlertKind.DeviceOffline));
    }

    [Fact]
    public void Device_offline_never_escalates()
    {
        var t = Start(devices: "door:d1");
        t.AdvanceTo(At(10, 30));
        t.AdvanceTo(At(10, day: 2));

        Assert.Empty(t.Changes(AlertChange.Escalated, AlertKind.DeviceOffline));
        Assert.Equal(AlertLevel.Family, t.OpenAlert(AlertKind.DeviceOffline)!.Level);
        Assert.Equal(0, t.OpenAlert(AlertKind.DeviceOffline)!.EscalatesAt);
    }
}
