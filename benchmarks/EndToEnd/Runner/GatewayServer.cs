using System.Diagnostics;
using System.Globalization;
using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// The gateway as its own process (<c>dotnet LightsOn.Gateway.dll</c>, the Release build), every
/// file it keeps (spool, tokens, webhook outbox) in a folder of the run, logging at Warning, on a
/// free loopback HTTP port; ready when <c>GET /readyz</c> answers 200.
/// </summary>
internal sealed class GatewayServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;
    private readonly List<string> _firstProblems = [];
    private int _warnings;
    private int _errors;

    private GatewayServer(ChildProcess process, Uri url)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        process.Line += Watch;
    }

    public int ProcessId => _process.Id;

    /// <summary>Seconds from starting the process to the first <c>/readyz</c> 200.</summary>
    public double StartupSeconds { get; private set; }

    /// <summary>Warning and error lines it logged, and the first of them: a healthy run logs none.</summary>
    public string? Problems
    {
        get
        {
            lock (_firstProblems)
            {
                return _warnings + _errors == 0 ? null : $"{_errors} error and {_warnings} warning lines logged; first: {string.Join(" / ", _firstProblems)}";
            }
        }
    }

    /// <param name="settings">Settings beyond the folders and logging: <c>--Mqtt:Port=…</c>, <c>--Influx:Url=…</c>, <c>--Registry:Path=…</c>.</param>
    /// <param name="environment">Extra environment variables (a startup hook, say).</param>
    public static async Task<GatewayServer> StartAsync(string dll, string folder, IEnumerable<string> settings, TimeSpan readyTimeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            // Anything left to the data folder default lands in the run's folder, not in the user's.
            ["XDG_DATA_HOME"] = Path.Combine(folder, "data"),
            // One line per entry, so warnings and errors can be counted.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        string[] arguments =
        [
            dll,
            $"--urls={url.ToString().TrimEnd('/')}",
            $"--Spool:Path={Path.Combine(folder, "spool")}",
            $"--Auth:TokensPath={Path.Combine(folder, "tokens.json")}",
            // A fixed bootstrap token: otherwise the gateway prints a fresh admin secret.
            "--Auth:BootstrapAdminToken=lo_e2e-benchmark-0123456789abcdefghijklmnop",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            .. settings,
        ];
        var clock = Stopwatch.StartNew();
        var process = ChildProcess.Start("gateway", DotnetHost.Path, arguments, env, Path.GetDirectoryName(dll));
        var gateway = new GatewayServer(process, url);
        try
        {
            await gateway.WaitUntilReadyAsync(readyTimeout);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
        gateway.StartupSeconds = clock.Elapsed.TotalSeconds;
        return gateway;
    }

    /// <summary>The counters and gauges of <c>GET /metrics</c>, labelled samples summed per name.</summary>
    public async Task<Dictionary<string, double>> MetricsAsync()
    {
        string text = await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            int space = line.LastIndexOf(' ');
            int brace = line.IndexOf('{', StringComparison.Ordinal);
            string name = line[..(brace >= 0 && brace < space ? brace : space)];
            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                metrics[name] = metrics.GetValueOrDefault(name) + value;
            }
        }
        return metrics;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Line -= Watch;
        await _process.DisposeAsync();
        _http.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with {_process.ExitCode} before it was ready:\n{_process.Tail}");
            }
            try
            {
                using var ready = await _http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A request timed out while the process was busy starting.
            }
            if (clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"the gateway did not answer /readyz 200 within {timeout.TotalSeconds:0} s:\n{_process.Tail}");
            }
            await Task.Delay(50);
        }
    }

    private void Watch(string line)
    {
        // Devices without credentials is this set-up's choice, warned about once at start: not a problem of the run.
        if (line.Contains("DeviceAccess[2501]", StringComparison.Ordinal))
        {
            return;
        }
        bool error = line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal);
        bool warning = line.StartsWith("warn:", StringComparison.Ordinal);
        if (error)
        {
            Interlocked.Increment(ref _errors);
        }
        else if (warning)
        {
            Interlocked.Increment(ref _warnings);
        }
        if (error || warning)
        {
            lock (_firstProblems)
            {
                if (_firstProblems.Count < 3)
                {
                    _firstProblems.Add(line.Length > 300 ? line[..300] : line);
                }
            }
        }
    }
}
