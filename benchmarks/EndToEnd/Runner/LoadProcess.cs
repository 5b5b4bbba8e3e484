using LightsOn.Benchmarks.EndToEnd.Load;
using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>The load generator (<see cref="LeanLoad"/>) as its own process, driven by its milestone lines.</summary>
internal sealed class LoadProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private LoadProcess(ChildProcess process) => _process = process;

    public int ProcessId => _process.Id;

    public static LoadProcess Start(string benchmarksDll, int port, string registry, E2eOptions options)
    {
        string[] arguments =
        [
            benchmarksDll, LeanLoad.Mode,
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--registry", registry,
            "--households", options.Households.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--rate", options.RateText,
            "--warmup", options.WarmUp.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--duration", options.Duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--connections", options.Connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inflight", options.InFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        var environment = new Dictionary<string, string>
        {
            // The receive loops only count PUBACKs: running them on the socket engine's own thread
            // saves a thread-pool hand-off per packet, a fifth of the generator's CPU.
            ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
        };
        return new LoadProcess(ChildProcess.Start("load generator", DotnetHost.Path, arguments, environment, standardInput: true));
    }

    /// <summary>Waits for the milestone line <paramref name="name"/> (<c>connected</c>, <c>measure-start</c>, <c>measure-end</c>, <c>drained</c>).</summary>
    public async Task<LoadMilestone> WaitForAsync(string name, TimeSpan timeout)
    {
        string line = await _process.WaitForLineAsync(l => l.StartsWith(name + " ", StringComparison.Ordinal), timeout, name);
        return LoadMilestone.Parse(line);
    }

    /// <summary>Lets the generator disconnect and exit (after its CPU time has been read).</summary>
    public async Task FinishAsync()
    {
        _process.CloseInput();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
