using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Rules.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Sos_press_raises_a_critical_alert_at_grid_level()
    {
        var registry = RegistryLoader.Parse("""
            {"communities":[{"id":"c1"}],
             "households":[{"id":"h1","community":"c1","grid":"g1","risk":"high",
               "devices":[{"id":"b1","kind":"sos"},{"id":"l1","kind":"light"}]}]}
            """, "test");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
        var seen = new List<(string, AlertChange)>();
        var engine = new RulesEngine(registry.Households, time, new Observer(seen));
        engine.Process(TelemetryEvent.Sos(0, 0, time.GetUtcNow().UtcTicks));
        Assert.Single(seen);
        var alert = engine.OpenAlertsOf(0).Single();
        Assert.Equal(AlertKind.Sos, alert.Kind);
        Assert.Equal(AlertLevel.Grid, alert.Level);
        time.Advance(TimeSpan.FromMinutes(3));
        engine.Advance();
        Assert.Equal(AlertLevel.Emergency, alert.Level);
    }

    private sealed class Observer(List<(string, AlertChange)> seen) : IAlertObserver
    {
        public void OnAlertChanged(Alert alert, AlertChange change) => seen.Add((alert.Id, change));
    }
}
