namespace LightsOn.Gateway.Tests.Simulator;

/// <summary>
/// Tests that run a scaled clock fast enough that a starved process changes what happens:
/// xunit runs this collection on its own, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(SimulatedDayCollection), DisableParallelization = true)]
public sealed class SimulatedDayCollection;
