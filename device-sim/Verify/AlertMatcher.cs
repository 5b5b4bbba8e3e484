using LightsOn.DeviceSim.Scenarios;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Verify;

/// <summary>
/// Matches the alert events seen on the alerts topic to the alerts the scenarios declared:
/// each expectation needs an alert of its kind in its household (on its device, for device
/// alerts) raised by its deadline on the simulated clock; an alert in a household without an
/// incident is unexpected.
/// </summary>
/// <remarks>
/// An alert's later events (escalated, acknowledged, resolved) carry the same id and
/// <c>raisedAt</c>, so each alert counts once. Alerts in a household with an incident that
/// no expectation asked for are not failures: a quiet stretch may well raise more than it
/// declares in a gateway that started watching mid-window. <paramref name="grace"/> absorbs
/// how often the gateway evaluates its deadlines. An alert raised after the run ended is not
/// held against anyone: when the simulator stops, every device falls silent at once, and the
/// gateway rightly says so. Nor is a <c>device-offline</c> whose silence began before the run
/// started: a gateway started earlier heard nothing from the devices until the simulator came.
/// </remarks>
internal static class AlertMatcher
{
    /// <param name="heartbeatOf">A household's heartbeat timeout (its policy's <c>heartbeatMinutes</c>).</param>
    public static VerifyReport Match(
        IReadOnlyList<Expectation> expectations, IEnumerable<AlertEvent> events, long runStartUtcTicks, long runEndUtcTicks, TimeSpan grace, Func<string, TimeSpan> heartbeatOf)
    {
        var alerts = events.GroupBy(e => e.Id, StringComparer.Ordinal).Select(g => g.First()).OrderBy(a => a.RaisedAtUtcTicks).ToList();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<VerifyRow>();
        var latencies = new List<TimeSpan>();
        foreach (var expected in expectations)
        {
            string kind = expected.Kind.ToWire();
            var candidates = alerts.Where(a => !used.Contains(a.Id) && a.Household == expected.Household && a.Kind == kind
                && (expected.Device is null || a.Device == expected.Device)).ToList();
            var onTime = candidates.FirstOrDefault(a => a.RaisedAtUtcTicks <= expected.DeadlineUtcTicks + grace.Ticks);
            var match = onTime ?? candidates.FirstOrDefault();
            VerifyOutcome outcome;
            if (match is not null)
            {
                used.Add(match.Id);
                outcome = onTime is not null ? VerifyOutcome.Ok : VerifyOutcome.Late;
                if (expected.Kind == AlertKind.Sos)
                {
                    latencies.Add(TimeSpan.FromTicks(Math.Max(0, match.RaisedAtUtcTicks - expected.DeadlineUtcTicks)));
                }
            }
            else
            {
                outcome = expected.DeadlineUtcTicks + grace.Ticks > runEndUtcTicks ? VerifyOutcome.NotDue : VerifyOutcome.Missing;
            }
            rows.Add(new VerifyRow(outcome, expected.Household, kind, expected.Device, expected.Scenario.ToString(), expected.DeadlineUtcTicks, match?.RaisedAtUtcTicks));
        }
        var incidents = expectations.Select(e => e.Household).ToHashSet(StringComparer.Ordinal);
        foreach (var alert in alerts)
        {
            bool silentBeforeRun = alert.Kind == "device-offline" && alert.RaisedAtUtcTicks - heartbeatOf(alert.Household).Ticks < runStartUtcTicks;
            if (!incidents.Contains(alert.Household) && alert.RaisedAtUtcTicks <= runEndUtcTicks && !silentBeforeRun)
            {
                rows.Add(new VerifyRow(VerifyOutcome.Unexpected, alert.Household, alert.Kind, alert.Device, "-", null, alert.RaisedAtUtcTicks));
            }
        }
        return new VerifyReport(rows, latencies);
    }
}
