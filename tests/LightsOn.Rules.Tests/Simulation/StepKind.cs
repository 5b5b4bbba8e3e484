namespace LightsOn.Rules.Tests.Simulation;

/// <summary>What a <see cref="SimStep"/> does to the engine.</summary>
internal enum StepKind : byte
{
    Door,
    Light,
    Motion,
    Fall,
    Sos,
    Status,
    SetAway,
    ClearAway,

    /// <summary>Only moves the clock and advances the engine: pins an expected deadline to the tick.</summary>
    Check,
}
