using System.Diagnostics;
using System.Text;

namespace LightsOn.Gateway.Tests.Fixtures;

/// <summary>
/// The gateway as a separate process (<c>dotnet LightsOn.Gateway.dll</c>, the build output the
/// test project copies next to itself), on a free loopback HTTP port, so a test can kill it
/// the hard way: <see cref="Kill"/> is SIGKILL, no shutdown code runs. Its stdout and stderr
/// are kept for failure messages; disposing kills it if it still runs.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output;

    private GatewayProcess(string name, Process process, StringBuilder output, Uri url)
    {
        Name = name;
        _process = process;
        _output = output;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Name { get; }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the gateway and waits until <c>GET /readyz</c> answers 200.</summary>
    /// <param name="name">Names the process in <see cref="Output"/> and in failure messages.</param>
    /// <param name="settings">Command-line settings such as <c>--Mqtt:Mode=external</c>; <c>--urls</c> is chosen here.</param>
    public static Task<GatewayProcess> StartAsync(string name, params string[] settings) =>
        StartAsync(name, new Dictionary<string, string>(), settings);

    /// <param name="environment">Environment variables to set for the process (<c>XDG_DATA_HOME</c>, say).</param>
    public static async Task<GatewayProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, params string[] settings)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "LightsOn.Gateway.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: the test project references gateway/LightsOn.Gateway.csproj, so building the tests builds and copies it.");
        }
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var info = new ProcessStartInfo(DotnetHost(), [dll, $"--urls={url.ToString().TrimEnd('/')}", .. settings])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        // The console logger's plain format, one line per entry, readable in a failure message.
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        info.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var gateway = new GatewayProcess(name, process, output, url);
        try
        {
            await gateway.WaitUntilReadyAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
        return gateway;
    }

    /// <summary>Waits until the gateway's output holds <paramref name="text"/> (a log line it writes).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || clock.Elapsed > deadline)
            {
                throw new InvalidOperationException($"{Name} did not write \"{text}\" within {deadline.TotalSeconds} s (exited: {_process.HasExited}):\n{Output}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux), then waits for the exit.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        Append(_output, $"[{Name} killed: exit code {_process.ExitCode}]");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }
            try
            {
                using var ready = await Http.GetAsync(new Uri("/readyz", UriKind.Relative));
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
                // A request timed out while the process was starting.
            }
            if (clock.Elapsed > ReadyDeadline)
            {
                throw new InvalidOperationException($"{Name} did not answer /readyz 200 within {ReadyDeadline.TotalSeconds} s:\n{Output}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>The <c>dotnet</c> host running the tests (the SDK sets <c>DOTNET_HOST_PATH</c>), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }
        string? self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        return "dotnet";
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
