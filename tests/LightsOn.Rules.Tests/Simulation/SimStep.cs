namespace LightsOn.Rules.Tests.Simulation;

/// <summary>
/// One thing that happens in a simulated household at <see cref="At"/> (UTC ticks): a device
/// message, an away-mode command, or a bare clock check.
/// </summary>
/// <param name="State">A door's <c>open</c>, a light's <c>on</c>, a motion sensor's <c>motion</c>.</param>
/// <param name="Value">A fall's confidence.</param>
/// <param name="Until">For <see cref="StepKind.SetAway"/>: the return time, or null for "until cleared".</param>
internal readonly record struct SimStep(long At, StepKind Kind, int Device = 0, bool State = false, double Value = 1.0, long? Until = null)
{
    public bool IsActivityDevice => Kind is StepKind.Door or StepKind.Light or StepKind.Motion;
}
