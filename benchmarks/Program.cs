using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(LightsOn.Benchmarks.Rules.RulesStepBenchmarks).Assembly).Run(args);
