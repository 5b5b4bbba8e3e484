using LightsOn.DeviceSim.Run;
using LightsOn.Rules;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.DeviceSim.Tests.Run;

/// <summary>Ordinary days judged by the real rules engine: a routine without an incident raises nothing.</summary>
public sealed class RoutineAgainstRulesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Two_ordinary_days_of_100_households_raise_no_alert()
    {
        var registry = RegistryLoader.Parse(RegistryGeneratorTests.Generate(new RegistrySpec(100, 4, 5)), "registry.json");
        long from = ZonedTime.ToUtcTicks(Shanghai, new DateTime(2026, 11, 23, 0, 0, 0));
        long to = from + 2 * TimeSpan.TicksPerDay;
        var time = new FakeTimeProvider(new DateTimeOffset(from, TimeSpan.Zero));
        var alerts = new Recorder();
        var engine = new RulesEngine(registry.Households, time, alerts);

        foreach (var m in new RoutineGenerator(registry.Households, seed: 9).Generate(from, to))
        {
            engine.Advance(m.UtcTicks);
            engine.Process(m.Kind switch
            {
                DeviceKind.Door => TelemetryEvent.Door(m.Household, m.Device, m.UtcTicks, m.State),
                DeviceKind.Light => TelemetryEvent.Light(m.Household, m.Device, m.UtcTicks, m.State),
                DeviceKind.Motion => TelemetryEvent.Motion(m.Household, m.Device, m.UtcTicks, m.State),
                DeviceKind.Status => TelemetryEvent.Status(m.Household, m.Device, m.UtcTicks, m.Number),
                _ => throw new InvalidOperationException($"a routine does not send {m.Kind}"),
            });
        }
        engine.Advance(to);

        Assert.Empty(alerts.Raised);
    }

    private sealed class Recorder : IAlertObserver
    {
        public List<string> Raised { get; } = [];

        public void OnAlertChanged(Alert alert, AlertChange change)
        {
            if (change == AlertChange.Raised)
            {
                Raised.Add($"{alert.Household.Id} {alert.Kind.ToWire()} {alert.DeviceId} at {ZonedTime.ToLocal(Shanghai, alert.RaisedAt):yyyy-MM-dd HH:mm}");
            }
        }
    }
}
