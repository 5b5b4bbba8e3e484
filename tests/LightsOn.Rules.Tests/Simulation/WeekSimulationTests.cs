using System.Diagnostics;
using Xunit.Abstractions;

namespace LightsOn.Rules.Tests.Simulation;

/// <summary>
/// A week of a thousand households, minute by minute: a normal week raises no alert at all
/// (design.md: false alarms are what make people stop answering), and a week with injected
/// incidents raises exactly the alerts those incidents call for, each at the instant its rule
/// says, and nothing else.
/// </summary>
public sealed class WeekSimulationTests(ITestOutputHelper output)
{
    private const int Seed = 20261123;
    private const int HouseholdCount = 1000;

    [Fact]
    public void A_normal_week_of_a_thousand_households_raises_no_alert()
    {
        var watch = Stopwatch.StartNew();
        var scenario = WeekScenario.Generate(Seed, HouseholdCount, withIncidents: false);
        output.WriteLine($"generated in {watch.Elapsed.TotalSeconds:0.00} s");
        AssertTheMixIsBroad(scenario);

        var simulation = Simulate(scenario);

        AssertTheWeekWasLived(scenario, simulation);
        Assert.True(simulation.Changes.Count == 0,
            "A normal week raised alerts:\n" + string.Join("\n", simulation.Changes.Select(c => Describe(scenario, c))));
    }

    [Fact]
    public void Every_injected_incident_raises_exactly_its_alert_on_time_and_nothing_else()
    {
        var scenario = WeekScenario.Generate(Seed, HouseholdCount, withIncidents: true);
        AssertTheMixIsBroad(scenario);
        Assert.All(Enum.GetValues<IncidentKind>(), kind => Assert.Contains(scenario.Incidents, i => i.Kind == kind));

        foreach (var incident in scenario.Incidents)
        {
            output.WriteLine($"{Describe(incident)}, expects [{string.Join(", ", incident.Expected.Select(k => k.ToWire()))}]"
                + $" due {Local(scenario, incident.Household, incident.AlertDueAt)}");
        }

        var simulation = Simulate(scenario);

        AssertTheWeekWasLived(scenario, simulation);
        var raised = simulation.Changes.Where(c => c.Change == AlertChange.Raised).ToList();
        var problems = new List<string>();
        foreach (var incident in scenario.Incidents)
        {
            foreach (var kind in incident.Expected)
            {
                var match = raised.FindAll(r => r.Household == incident.Household && r.Kind == kind);
                if (match.Count == 0)
                {
                    problems.Add($"missing {kind.ToWire()}, due {Local(scenario, incident.Household, incident.AlertDueAt)}: {Describe(incident)}");
                    continue;
                }
                if (match.Count > 1 || match[0].RaisedAt != incident.AlertDueAt)
                {
                    problems.Add($"{kind.ToWire()} due {Local(scenario, incident.Household, incident.AlertDueAt)} raised "
                        + string.Join(", ", match.Select(m => Local(scenario, m.Household, m.RaisedAt))) + $": {Describe(incident)}");
                }
                if (incident.ResolvesItself && !simulation.Changes.Exists(c =>
                    c.Change == AlertChange.Resolved && c.AlertId == match[0].AlertId
                    && c.Outcome == AlertOutcome.ActivityResumed && c.ResolvedBy == "system"))
                {
                    problems.Add($"{kind.ToWire()} did not resolve itself: {Describe(incident)}");
                }
                int repeats = simulation.Changes.Count(c => c.Change == AlertChange.Repeated && c.AlertId == match[0].AlertId);
                if (repeats != (incident.Repeats ? 1 : 0))
                {
                    problems.Add($"{kind.ToWire()} repeated {repeats} times: {Describe(incident)}");
                }
                raised.RemoveAll(r => r.Household == incident.Household && r.Kind == kind);
            }
        }
        problems.AddRange(raised.Select(r => "unexpected " + Describe(scenario, r)
            + (scenario.Incidents.FirstOrDefault(i => i.Household == r.Household) is { } i ? $" (household's incident: {Describe(i)})" : "")));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // Only the incidents' own alerts are still open: SOS, falls and night doors wait for a person.
        Assert.Equal(
            scenario.Incidents.Where(i => !i.ResolvesItself).Sum(i => i.Expected.Count),
            simulation.Engine.OpenAlertCount);
    }

    private WeekSimulation Simulate(WeekScenario scenario)
    {
        var watch = Stopwatch.StartNew();
        var simulation = WeekSimulation.Run(scenario);
        output.WriteLine($"{scenario.Households.Count} households, {simulation.Messages:N0} messages " +
            $"({simulation.ActivityMessages:N0} activity), {simulation.Changes.Count} alert changes, {scenario.Incidents.Count} incidents, " +
            $"simulated in {watch.Elapsed.TotalSeconds:0.00} s");
        return simulation;
    }

    /// <summary>Guards against a week that passes because nothing happened in it.</summary>
    private static void AssertTheWeekWasLived(WeekScenario scenario, WeekSimulation simulation)
    {
        long heartbeats = scenario.Households.Sum(h => (long)h.DeviceCount) * 6 * 24 * 7;
        Assert.InRange(simulation.Messages - simulation.ActivityMessages, heartbeats * 99 / 100, heartbeats * 101 / 100);
        Assert.True(simulation.ActivityMessages > scenario.Households.Count * 7 * 15);
        var dayBeforeEnd = scenario.EndTicks - TimeSpan.FromDays(1).Ticks;
        Assert.All(scenario.Households, h => Assert.True(simulation.Engine.LastActivity(h.Index) > dayBeforeEnd, h.Id));
        Assert.All(scenario.Households, h => Assert.False(simulation.Engine.IsAway(h.Index), h.Id));
    }

    private static void AssertTheMixIsBroad(WeekScenario scenario)
    {
        var hs = scenario.Households;
        Assert.Equal(HouseholdCount, hs.Count);
        Assert.All(Enum.GetValues<RiskLevel>(), risk => Assert.Contains(hs, h => h.Risk == risk));
        Assert.All(new[] { "Asia/Shanghai", "Asia/Urumqi", "Europe/Berlin", "America/New_York" },
            zone => Assert.Contains(hs, h => h.Zone.Id == zone));
        Assert.Contains(hs, h => h.WanderingRisk);
        Assert.Contains(hs, h => h.Lights == 2);
        Assert.InRange(hs.Count(h => h.Policy.HasKeys), hs.Count / 5, hs.Count / 2);
        Assert.InRange(hs.Count(h => h.IsAwaySomeDay), 20, 100);
        Assert.Contains(hs, h => h.IsAwaySomeDay && h.Steps.Exists(s => s.Kind == StepKind.ClearAway));
        Assert.Contains(hs, h => h.IsAwaySomeDay && h.Steps.Exists(s => s.Kind == StepKind.SetAway && s.Until is not null));
    }

    private static string Describe(Incident i) =>
        $"{i.HouseholdId} {i.Kind} ({i.Description})";

    private static string Describe(WeekScenario scenario, AlertChangeRecord c)
    {
        var h = scenario.Households[c.Household];
        return $"{c.Change} {c.Kind.ToWire()} {h.Id} ({h.Risk}, {h.Zone.Id}, wandering={h.WanderingRisk}, away={h.IsAwaySomeDay}) " +
            $"raised {WeekScenario.Local(h, c.RaisedAt)} local: {c.Reason}";
    }

    private static string Local(WeekScenario scenario, int household, long utcTicks) =>
        WeekScenario.Local(scenario.Households[household], utcTicks);
}
