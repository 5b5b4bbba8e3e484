using BenchmarkDotNet.Running;
using LightsOn.Benchmarks.EndToEnd;

// `flood-latency`: an end-to-end measurement, not a BenchmarkDotNet suite (README.md).
if (args.Length > 0 && args[0] == FloodLatency.Mode)
{
    return await FloodLatency.RunAsync(args[1..]);
}
// `node-red-peer`: the Node-RED peer alone under a fixed publish rate (EndToEnd/NodeRed/README.md).
if (args.Length > 0 && args[0] == LightsOn.Benchmarks.EndToEnd.NodeRed.NodeRedPeerCheck.Mode)
{
    return await LightsOn.Benchmarks.EndToEnd.NodeRed.NodeRedPeerCheck.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(LightsOn.Benchmarks.Rules.RulesStepBenchmarks).Assembly).Run(args);
return 0;
