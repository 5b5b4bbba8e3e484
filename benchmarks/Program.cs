using BenchmarkDotNet.Running;
using LightsOn.Benchmarks.EndToEnd;
using LightsOn.Benchmarks.EndToEnd.Load;
using LightsOn.Benchmarks.EndToEnd.References;
using LightsOn.Benchmarks.EndToEnd.Runner;

// End-to-end modes are measurements of whole processes, not BenchmarkDotNet suites (README.md).
switch (args.Length > 0 ? args[0] : "")
{
    case E2eRunner.Mode:
        return await E2eRunner.RunAsync(args[1..]);
    case FloodLatency.Mode:
        return await FloodLatency.RunAsync(args[1..]);
    case LeanLoad.Mode:
        return await LeanLoad.RunAsync(args[1..]);
    case BareMqttnet.Mode:
        return await BareMqttnet.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(LightsOn.Benchmarks.Rules.RulesStepBenchmarks).Assembly).Run(args);
return 0;
