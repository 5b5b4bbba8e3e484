using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// <c>e2e</c> mode: the end-to-end benchmark (issue 7). Every server runs as its own OS process,
/// started here on free loopback ports from folders of the run, so each one's CPU time can be
/// read from /proc; every variant gets the same load and fresh servers; the table at the end
/// holds the figures against design.md's targets. README.md says how to run it.
/// </summary>
internal sealed partial class E2eRunner
{
    public const string Mode = "e2e";

    private const string Database = "lightson";

    private readonly E2eOptions _options;
    private readonly string _root;
    private readonly string _folder;
    private readonly string _gatewayDll;
    private readonly string _deviceSimDll;
    private readonly string _benchmarksDll;
    private string _registry = "";
    private int _devices;
    private SosButton[] _sosButtons = [];

    private E2eRunner(E2eOptions options, string root, string folder)
    {
        _options = options;
        _root = root;
        _folder = folder;
        _gatewayDll = Path.Combine(root, "gateway", "bin", "Release", "net10.0", "LightsOn.Gateway.dll");
        _deviceSimDll = Path.Combine(root, "device-sim", "bin", "Release", "net10.0", "LightsOn.DeviceSim.dll");
        _benchmarksDll = typeof(E2eRunner).Assembly.Location;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        E2eOptions options;
        try
        {
            options = E2eOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
#if DEBUG
        await Console.Error.WriteLineAsync("The end-to-end benchmark measures Release builds: run it with `dotnet run -c Release --project benchmarks -- e2e`.");
        return 1;
#else
        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("The end-to-end benchmark reads CPU times from /proc: it runs on Linux only.");
            return 1;
        }
        foreach (var (tool, package) in new[] { ("influxd", "influxdb"), ("mosquitto", "mosquitto") })
        {
            if (ExecutableFinder.Find(tool) is null)
            {
                await Console.Error.WriteLineAsync($"{tool} is not installed; the end-to-end benchmark starts its own. Install it with `apt-get install {package}`.");
                return 1;
            }
        }
        string? root = FindRepositoryRoot();
        if (root is null)
        {
            await Console.Error.WriteLineAsync("Cannot find the repository (LightsOn.slnx) above the current folder or the benchmarks build.");
            return 1;
        }
        string folder = Directory.CreateTempSubdirectory("lightson-e2e-").FullName;
        // Stopped half-way (Ctrl+C, SIGTERM): no server of the run outlives it, no folder stays
        // behind; then the signal's default action ends the runner.
        void Stop(PosixSignalContext context)
        {
            Console.Error.WriteLine($"// {context.Signal}: stopping the run's servers");
            ChildProcess.KillAll();
            TryDelete(folder);
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await new E2eRunner(options, root, folder).RunAsync();
        }
        finally
        {
            ChildProcess.KillAll();
            TryDelete(folder);
        }
#endif
    }

    private async Task<int> RunAsync()
    {
        var machine = MachineInfo.Read(_root);
        if (!_options.NoBuild)
        {
            await BuildAsync();
        }
        foreach (string dll in new[] { _gatewayDll, _deviceSimDll })
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build it with `dotnet build -c Release` (or run without --no-build).");
            }
        }
        if (_options.Variants.Any(v => v != E2eVariants.Million))
        {
            await PrepareRegistryAsync();
        }
        Console.WriteLine($"// {string.Join(", ", _options.Variants)}: load {_options.Households:N0} households, {_options.Connections} connections, " +
            $"rate {_options.RateText}, {_options.WarmUp.TotalSeconds:0} s warm-up + {_options.Duration.TotalSeconds:0} s each; load average {machine.LoadAverageAtStart}");

        var results = new List<VariantResult>();
        foreach (string variant in _options.Variants)
        {
            Console.WriteLine($"// {variant}: {E2eVariants.Describe(variant)}");
            var clock = Stopwatch.StartNew();
            VariantResult result;
            try
            {
                result = await RunVariantAsync(variant);
            }
            catch (Exception e) // A variant that fails is reported as not measured, and the others still run.
            {
                result = new VariantResult(variant) { Failure = $"{e.GetType().Name}: {e.Message}" };
            }
            results.Add(result);
            Console.WriteLine($"// {variant}: {Summary(result)} ({clock.Elapsed.TotalSeconds:0} s)");
        }
        machine.LoadAverageAtEnd = MachineInfo.LoadAverage();

        string table = ResultTable.Render(machine, _options, _devices, results);
        Console.WriteLine();
        Console.WriteLine(table);
        string output = _options.Out ?? Path.Combine("BenchmarkDotNet.Artifacts", "e2e", $"e2e-{machine.Started:yyyyMMdd-HHmmss}.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, table);
        Console.WriteLine($"// written to {Path.GetFullPath(output)}");
        return results.All(r => r.Failure is null) ? 0 : 2;
    }

    private Task<VariantResult> RunVariantAsync(string variant) => variant switch
    {
        E2eVariants.Mosquitto => RunMosquittoAsync(),
        E2eVariants.Mqttnet => RunMqttnetAsync(),
        E2eVariants.Gateway => RunGatewayAsync(external: false),
        E2eVariants.GatewayMosquitto => RunGatewayAsync(external: true),
        E2eVariants.InfluxDirect => RunInfluxDirectAsync(),
        E2eVariants.NodeRed => RunNodeRedAsync(batch: false),
        E2eVariants.NodeRedBatch => RunNodeRedAsync(batch: true),
        E2eVariants.Million => RunMillionAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown variant"),
    };

    private static string Summary(VariantResult r)
    {
        if (r.Million is { } m)
        {
            return $"ready in {m.StartupSeconds:F1} s, RSS {m.RssKiB / 1024:N0} MiB, peak {m.PeakKiB / 1024:N0} MiB";
        }
        if (!r.Measured)
        {
            return $"not measured: {r.Failure}";
        }
        string cpu = string.Join(", ", r.Processes.Select(p => $"{p.Label} {p.MicrosPerMessage:F1} µs"));
        string stored = r.Expected is null ? "" : $", stored {r.Stored:N0} of {r.Expected:N0}";
        return $"{r.Acknowledged:N0} {r.Unit} in {r.Seconds:F1} s = {r.Rate:N0}/s; {cpu}{stored}{(r.Failure is null ? "" : $"; FAILED: {r.Failure}")}";
    }

    /// <summary>Release builds of the gateway and the simulator (the benchmarks build references the gateway, not the simulator).</summary>
    private async Task BuildAsync()
    {
        foreach (string project in new[] { "gateway/LightsOn.Gateway.csproj", "device-sim/LightsOn.DeviceSim.csproj" })
        {
            Console.WriteLine($"// building {project} (Release)");
            await using var build = ChildProcess.Start("dotnet build", DotnetHost.Path,
                ["build", Path.Combine(_root, project), "-c", "Release", "-nologo", "-v", "q"], workingDirectory: _root);
            if (!await build.WaitForExitAsync(TimeSpan.FromMinutes(10)) || build.ExitCode != 0)
            {
                throw new InvalidOperationException($"`dotnet build {project} -c Release` failed:\n{build.Tail}");
            }
        }
    }

    /// <summary>
    /// One registry for every variant, from the simulator's generator: the load's households
    /// first, then the SOS probe's, which the load never publishes for.
    /// </summary>
    private async Task PrepareRegistryAsync()
    {
        _registry = Path.Combine(_folder, "registry.json");
        int households = _options.Households + _options.Sos;
        await GenerateRegistryAsync(households, _registry);
        var registry = LightsOn.Rules.RegistryLoader.Parse(await File.ReadAllBytesAsync(_registry), _registry);
        _devices = registry.Households.Take(_options.Households).Sum(h => h.Devices.Count);
        _sosButtons = [.. registry.Households.Skip(_options.Households).Select(h =>
            new SosButton(h.Community, h.Id, h.Devices.First(d => d.Kind == LightsOn.Rules.DeviceKind.Sos).Id))];
    }

    private async Task GenerateRegistryAsync(int households, string path)
    {
        string partial = path + ".partial";
        await using var generator = ChildProcess.Start("device-sim registry", DotnetHost.Path,
            [_deviceSimDll, "registry", "--households", households.ToString(CultureInfo.InvariantCulture), "--seed", "42", "--out", partial]);
        if (!await generator.WaitForExitAsync(TimeSpan.FromMinutes(30)) || generator.ExitCode != 0)
        {
            throw new InvalidOperationException($"device-sim registry failed:\n{generator.Tail}");
        }
        File.Move(partial, path, overwrite: true);
    }

    private string VariantFolder(string variant) => Directory.CreateDirectory(Path.Combine(_folder, variant)).FullName;

    private static string? FindRepositoryRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LightsOn.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }

    private static void TryDelete(string folder)
    {
        // Servers that were just killed, or a variant disposing its own folder, may still be
        // removing files underneath: try again a few times.
        for (int attempt = 1; Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 5)
                {
                    Console.Error.WriteLine($"// could not remove {folder}: {e.Message}");
                    return;
                }
                Thread.Sleep(200);
            }
        }
    }
}
