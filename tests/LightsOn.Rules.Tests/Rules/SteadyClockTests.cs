using LightsOn.Rules.Tests.Support;
using static LightsOn.Rules.Tests.Support.LocalTime;

namespace LightsOn.Rules.Tests.Rules;

/// <summary>
/// The gateway calls Advance a few times a second, not in jumps: deadlines hours ahead (many turns
/// of the timing wheel) must still fire on the first call at or after them.
/// </summary>
public sealed class SteadyClockTests
{
    [Fact]
    public void Deadlines_many_wheel_turns_ahead_fire_on_the_first_tick_at_or_after_them()
    {
        var t = EngineHarness.Start(TestRegistry.Of(
            TestRegistry.Household(id: "a", risk: "high"),
            TestRegistry.Household(id: "b", risk: "medium", policy: "\"lightsOnBy\": \"21:07\"")), At(8));
        var step = TimeSpan.FromSeconds(1);
        var raisedAt = new Dictionary<(string, AlertKind), long>();

        while (t.Now < t.Utc(At(23)))
        {
            t.Clock.Advance(step);
            t.Engine.Advance();
        }
        foreach (var e in t.Observer.Events.Where(e => e.Change == AlertChange.Raised))
        {
            raisedAt.Add((e.Alert.Household, e.Alert.Kind), e.Alert.RaisedAt);
        }

        Assert.Equal(t.Utc(At(20)), raisedAt[("a", AlertKind.LightsNotOn)]);
        Assert.Equal(t.Utc(At(20)), raisedAt[("a", AlertKind.Inactivity)]);
        Assert.Equal(t.Utc(At(21, 7)), raisedAt[("b", AlertKind.LightsNotOn)]);
        Assert.False(raisedAt.ContainsKey(("b", AlertKind.Inactivity))); // medium: 16 h, due at 00:00
        Assert.Equal(3, raisedAt.Count);

        var escalations = t.Observer.Events.Where(e => e.Change == AlertChange.Escalated && e.Alert.Household == "b")
            .Select(e => (e.Alert.Level, e.Alert.UpdatedAt));
        Assert.Equal([(AlertLevel.Grid, t.Utc(At(21, 22))), (AlertLevel.Emergency, t.Utc(At(21, 37)))], escalations);
    }
}
