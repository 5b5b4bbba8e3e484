using System.Text;
using LightsOn.DeviceSim.Scenarios;
using LightsOn.DeviceSim.Verify;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Tests.Scenarios;

/// <summary>Verification of a run against synthetic alert events, without a broker.</summary>
public sealed class AlertMatcherTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly long T = ZonedTime.ToUtcTicks(Shanghai, new DateTime(2026, 11, 23, 18, 30, 0));
    private static readonly long RunEnd = T + TimeSpan.TicksPerDay;
    private static readonly long RunStart = T - TimeSpan.TicksPerHour;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private static readonly Func<string, TimeSpan> HeartbeatOf = _ => TimeSpan.FromMinutes(30);

    private static readonly Expectation Sos = Expect("sos:h000012@2026-11-23T18:30", AlertKind.Sos, T);
    private static readonly Expectation Offline = Expect("device-offline:h000020@2026-11-23T18:30", AlertKind.DeviceOffline, T + 30 * TimeSpan.TicksPerMinute, "f1");

    [Fact]
    public void Every_expected_alert_raised_by_its_deadline_verifies_and_its_later_events_count_once()
    {
        var report = AlertMatcher.Match([Sos, Offline],
        [
            Event("a-1", "h000012", "sos", T + 2 * TimeSpan.TicksPerSecond),
            Event("a-1", "h000012", "sos", T + 2 * TimeSpan.TicksPerSecond, state: "acknowledged"),
            Event("a-2", "h000020", "device-offline", T + 30 * TimeSpan.TicksPerMinute, device: "f1"),
        ], RunStart, RunEnd, Grace, HeartbeatOf);

        Assert.True(report.Passed);
        Assert.Equal([VerifyOutcome.Ok, VerifyOutcome.Ok], report.Rows.Select(r => r.Outcome));
        Assert.Equal([TimeSpan.FromSeconds(2)], report.SosLatencies);
    }

    [Fact]
    public void An_alert_one_tick_past_its_deadline_and_grace_is_late()
    {
        var report = AlertMatcher.Match([Sos], [Event("a-1", "h000012", "sos", T + Grace.Ticks + 1)], RunStart, RunEnd, Grace, HeartbeatOf);
        var onEdge = AlertMatcher.Match([Sos], [Event("a-1", "h000012", "sos", T + Grace.Ticks)], RunStart, RunEnd, Grace, HeartbeatOf);

        Assert.False(report.Passed);
        Assert.Equal(VerifyOutcome.Late, Assert.Single(report.Rows).Outcome);
        Assert.True(onEdge.Passed);
    }

    [Fact]
    public void An_alert_of_another_kind_household_or_device_does_not_answer_an_expectation()
    {
        var report = AlertMatcher.Match([Sos, Offline],
        [
            Event("a-1", "h000012", "fall", T),
            Event("a-2", "h000013", "sos", T),
            Event("a-3", "h000020", "device-offline", T, device: "b1"),
        ], RunStart, RunEnd, Grace, HeartbeatOf);

        Assert.False(report.Passed);
        Assert.Equal([VerifyOutcome.Missing, VerifyOutcome.Missing], report.Rows.Where(r => r.Scenario != "-").Select(r => r.Outcome));
        // h000013 has no incident; the fall and the other device belong to households that have one.
        var unexpected = Assert.Single(report.Rows, r => r.Outcome == VerifyOutcome.Unexpected);
        Assert.Equal(("h000013", "sos"), (unexpected.Household, unexpected.Kind));
    }

    [Fact]
    public void An_expectation_due_after_the_run_ended_is_not_judged()
    {
        var report = AlertMatcher.Match([Offline], [], RunStart, runEndUtcTicks: T + 10 * TimeSpan.TicksPerMinute, Grace, HeartbeatOf);

        Assert.True(report.Passed);
        Assert.Equal(VerifyOutcome.NotDue, Assert.Single(report.Rows).Outcome);
    }

    [Fact]
    public void An_alert_raised_after_the_run_ended_is_not_unexpected_for_the_devices_have_stopped()
    {
        var report = AlertMatcher.Match([Sos],
        [
            Event("a-1", "h000012", "sos", T),
            Event("a-8", "h000099", "device-offline", RunEnd + 1, device: "b1"),
            Event("a-9", "h000098", "device-offline", RunEnd, device: "b1"),
        ], RunStart, RunEnd, Grace, HeartbeatOf);

        Assert.False(report.Passed);
        Assert.Equal("h000098", Assert.Single(report.Rows, r => r.Outcome == VerifyOutcome.Unexpected).Household);
    }

    [Fact]
    public void A_device_silent_since_before_the_run_started_is_not_unexpected_but_one_silent_during_the_run_is()
    {
        long firstHeard = RunStart + 30 * TimeSpan.TicksPerMinute;
        var report = AlertMatcher.Match([Sos],
        [
            Event("a-1", "h000012", "sos", T),
            Event("a-8", "h000099", "device-offline", firstHeard - 1, device: "b1"),
            Event("a-9", "h000098", "device-offline", firstHeard, device: "b1"),
        ], RunStart, RunEnd, Grace, HeartbeatOf);

        Assert.Equal("h000098", Assert.Single(report.Rows, r => r.Outcome == VerifyOutcome.Unexpected).Household);
    }

    [Fact]
    public void Any_alert_for_a_household_without_an_incident_fails_the_run()
    {
        var report = AlertMatcher.Match([Sos], [Event("a-1", "h000012", "sos", T), Event("a-9", "h000099", "lights-not-on", T)], RunStart, RunEnd, Grace, HeartbeatOf);

        Assert.False(report.Passed);
        var output = new StringWriter();
        report.Write(output, Shanghai);
        Assert.Contains("UNEXPECTED h000099", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Verification failed: 1 of 2 rows are wrong.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_shows_each_expectation_with_its_deadline_and_when_it_was_raised()
    {
        var report = AlertMatcher.Match([Sos], [Event("a-1", "h000012", "sos", T + TimeSpan.TicksPerSecond)], RunStart, RunEnd, Grace, HeartbeatOf);
        var output = new StringWriter();

        report.Write(output, Shanghai);

        string text = output.ToString();
        Assert.Contains("ok         h000012    sos                  -      2026-11-23 18:30:00 2026-11-23 18:30:01 sos:h000012@2026-11-23T18:30", text, StringComparison.Ordinal);
        Assert.Contains("SOS to alert (simulated time): p50 1 s, p95 1 s, max 1 s over 1", text, StringComparison.Ordinal);
        Assert.Contains("Verified: 1 expected alerts raised in time, no unexpected alert.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_event_is_read_from_the_gateways_json_and_anything_else_is_ignored()
    {
        var read = AlertEvent.TryParse(Encoding.UTF8.GetBytes("""
            {"id":"a-1","household":"h0001","community":"hp-nanshi","grid":"g03","kind":"sos","severity":"critical","state":"open","level":"grid",
             "raisedAt":"2026-11-23T07:00:00.123Z","updatedAt":"2026-11-23T07:00:00.123Z","device":"b1","reason":"SOS button pressed"}
            """));

        Assert.Equal(new AlertEvent("a-1", "h0001", "sos", "open", new DateTimeOffset(2026, 11, 23, 7, 0, 0, 123, TimeSpan.Zero).UtcTicks, "b1"), read);
        Assert.Null(AlertEvent.TryParse("not json"u8));
        Assert.Null(AlertEvent.TryParse("""{"id":"a-1"}"""u8));
    }

    private static Expectation Expect(string scenario, AlertKind kind, long deadline, string? device = null)
    {
        var s = Scenario.Parse(scenario);
        return new Expectation(s, s.Household, kind, deadline, device);
    }

    private static AlertEvent Event(string id, string household, string kind, long raisedAt, string state = "open", string? device = null) =>
        new(id, household, kind, state, raisedAt, device);
}
