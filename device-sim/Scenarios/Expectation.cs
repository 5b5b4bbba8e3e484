using LightsOn.Rules;

namespace LightsOn.DeviceSim.Scenarios;

/// <summary>
/// An alert a scenario must cause: its kind, in which household (and, for device alerts, on
/// which device), raised at the latest at <paramref name="DeadlineUtcTicks"/> on the simulated clock.
/// </summary>
internal sealed record Expectation(Scenario Scenario, string Household, AlertKind Kind, long DeadlineUtcTicks, string? Device = null);
