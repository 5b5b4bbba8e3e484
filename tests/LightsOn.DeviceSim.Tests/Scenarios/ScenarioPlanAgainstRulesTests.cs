using LightsOn.DeviceSim.Run;
using LightsOn.DeviceSim.Scenarios;
using LightsOn.Rules;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.DeviceSim.Tests.Scenarios;

/// <summary>Two days of 100 households with one of each scenario, judged by the real rules engine.</summary>
public sealed class ScenarioPlanAgainstRulesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Every_scenario_raises_its_declared_alerts_by_their_deadlines_and_nothing_else_is_raised()
    {
        var registry = RegistryLoader.Parse(RegistryGeneratorTests.Generate(new RegistrySpec(100, 4, 5)), "registry.json");
        var households = registry.Households;
        string wandering = households.First(h => h.Flags.Contains("wandering-risk")).Id;
        var others = households.Where(h => h.Id != wandering).Select(h => h.Id).ToArray();
        string[] texts =
        [
            $"sos:{others[0]}@2026-11-23T10:15",
            $"fall:{others[1]}@2026-11-23T14:40",
            $"no-wake-up:{others[2]}@2026-11-24T00:00",
            $"lights-not-on:{others[3]}@2026-11-23T18:00",
            $"wandering:{wandering}@2026-11-24T02:10",
            $"door-left-open:{others[4]}@2026-11-23T11:20",
            $"device-offline:{others[5]}@2026-11-23T13:00",
            $"low-battery:{others[6]}@2026-11-23T09:00",
            $"inactivity:{others[7]}@2026-11-23T09:00",
            $"malformed:{others[8]}@2026-11-23T12:00",
            $"duplicate:{others[9]}@2026-11-23T12:00",
            $"clock-skew:{others[10]}@2026-11-23T12:00",
            $"flood:{others[11]}@2026-11-23T12:00",
        ];
        long from = ZonedTime.ToUtcTicks(Shanghai, new DateTime(2026, 11, 23, 0, 0, 0));
        long to = from + 2 * TimeSpan.TicksPerDay;
        var generator = new RoutineGenerator(households, seed: 9);
        var plan = ScenarioPlan.Create(households, texts.Select(Scenario.Parse), generator);

        var raised = Judge(households, plan.Apply(generator.Generate(from, to), from, to), from, to);

        Assert.Equal(
            plan.Expectations.Select(e => $"{e.Household} {e.Kind.ToWire()} {e.Device}").Order(),
            raised.Select(a => $"{a.Household} {a.Kind.ToWire()} {a.Device}").Order());
        foreach (var expected in plan.Expectations)
        {
            var alert = raised.Single(a => a.Household == expected.Household && a.Kind == expected.Kind);
            Assert.True(alert.RaisedAt <= expected.DeadlineUtcTicks,
                $"{expected.Scenario}: {expected.Kind.ToWire()} raised at {ZonedTime.ToLocal(Shanghai, alert.RaisedAt):HH:mm:ss}, after its deadline {ZonedTime.ToLocal(Shanghai, expected.DeadlineUtcTicks):HH:mm:ss}");
        }
        // Between them the incidents cover every alert kind; the device faults declare none.
        Assert.Equal(Enum.GetValues<AlertKind>(), plan.Expectations.Select(e => e.Kind).Distinct().Order());
        Assert.DoesNotContain(plan.Expectations, e => e.Scenario.Kind is ScenarioKind.Malformed or ScenarioKind.Duplicate or ScenarioKind.ClockSkew or ScenarioKind.Flood);
    }

    /// <summary>
    /// Feeds messages as the gateway would: malformed payloads and redeliveries never reach the
    /// rules, and the engine is advanced every simulated second, so deadlines fire on time.
    /// </summary>
    internal static List<(string Household, AlertKind Kind, string? Device, long RaisedAt)> Judge(IReadOnlyList<Household> households, IEnumerable<SimMessage> messages, long from, long to)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(from, TimeSpan.Zero));
        var recorder = new Recorder();
        var engine = new RulesEngine(households, time, recorder);
        long tick = from;
        foreach (var m in messages)
        {
            if (m.Fault is MessageFault.Malformed or MessageFault.Duplicate)
            {
                continue;
            }
            for (; tick <= m.UtcTicks; tick += TimeSpan.TicksPerSecond)
            {
                engine.Advance(tick);
            }
            engine.Advance(m.UtcTicks);
            engine.Process(m.Kind switch
            {
                DeviceKind.Door => TelemetryEvent.Door(m.Household, m.Device, m.UtcTicks, m.State),
                DeviceKind.Light => TelemetryEvent.Light(m.Household, m.Device, m.UtcTicks, m.State),
                DeviceKind.Motion => TelemetryEvent.Motion(m.Household, m.Device, m.UtcTicks, m.State),
                DeviceKind.Fall => TelemetryEvent.Fall(m.Household, m.Device, m.UtcTicks, m.Number),
                DeviceKind.Sos => TelemetryEvent.Sos(m.Household, m.Device, m.UtcTicks),
                DeviceKind.Status => TelemetryEvent.Status(m.Household, m.Device, m.UtcTicks, m.Number),
                _ => throw new InvalidOperationException($"unknown kind {m.Kind}"),
            });
        }
        for (; tick <= to; tick += TimeSpan.TicksPerSecond)
        {
            engine.Advance(tick);
        }
        return recorder.Raised;
    }

    private sealed class Recorder : IAlertObserver
    {
        public List<(string Household, AlertKind Kind, string? Device, long RaisedAt)> Raised { get; } = [];

        public void OnAlertChanged(Alert alert, AlertChange change)
        {
            if (change == AlertChange.Raised)
            {
                bool perDevice = alert.Kind is AlertKind.DeviceOffline or AlertKind.LowBattery or AlertKind.DoorLeftOpen;
                Raised.Add((alert.Household.Id, alert.Kind, perDevice ? alert.DeviceId : null, alert.RaisedAt));
            }
        }
    }
}
