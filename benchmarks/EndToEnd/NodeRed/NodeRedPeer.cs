using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.Benchmarks.EndToEnd.NodeRed;

/// <summary>
/// The peer LightsOn is compared against: Node-RED between a Mosquitto broker and InfluxDB 1.x
/// (mqtt in → function → influxdb out), run as its own <c>node</c> process so its CPU can be
/// read from /proc. Node-RED and node-red-contrib-influxdb are installed once into a cache folder
/// with npm. README.md in this folder describes the flow.
/// </summary>
internal sealed class NodeRedPeer : IAsyncDisposable
{
    /// <summary>npm version range: 4.1 is the newest line that runs on Node 20 (5.x needs Node 22).</summary>
    public const string NodeRedVersion = "4.1";

    /// <summary>The newest release; its 1.x client writes any JavaScript number as a float.</summary>
    public const string InfluxNodesVersion = "0.7.0";

    /// <summary>Node-RED's console output (warnings and errors) in the user directory.</summary>
    public const string LogFileName = "node-red.log";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _outputLock = new();
    private readonly Queue<string> _recentLines = new();
    private readonly EventHandler _killOnExit;
    private string? _awaitedToken;
    private TaskCompletionSource? _tokenSeen;
    private bool _logClosed;
    private bool _errorLogged;
    private int _disposed;

    private NodeRedPeer(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
        _killOnExit = (_, _) => KillNow();
    }

    /// <summary>The <c>node</c> process running Node-RED, for CPU accounting from /proc.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Installs Node-RED if needed, writes the flow and settings into <paramref name="workDir"/>
    /// (its user directory), starts it, and returns once its MQTT subscription delivers messages
    /// to the flow. Without <paramref name="batch"/>, one InfluxDB write per MQTT message (the
    /// common wiring); with it, a join node collects up to
    /// <see cref="NodeRedFlow.BatchSize"/> points or <see cref="NodeRedFlow.BatchTimeoutSeconds"/>
    /// and the influxdb batch node writes them in one request.
    /// </summary>
    public static async Task<NodeRedPeer> StartAsync(string workDir, int mqttPort, string influxUrl, string database, bool batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(workDir);
        ArgumentNullException.ThrowIfNull(database);
        var influx = new Uri(influxUrl);
        string installDir = await EnsureInstalledAsync(ct);
        await CreateDatabaseAsync(influx, database, ct);

        Directory.CreateDirectory(workDir);
        await File.WriteAllTextAsync(Path.Combine(workDir, NodeRedFlow.FlowFileName), NodeRedFlow.Flows(mqttPort, influx, database, batch), ct);
        await File.WriteAllTextAsync(Path.Combine(workDir, NodeRedFlow.SettingsFileName), NodeRedFlow.Settings(), ct);

        var info = new ProcessStartInfo("node",
        [
            Path.Combine(installDir, "node_modules", "node-red", "red.js"),
            "--userDir", workDir,
            "--settings", Path.Combine(workDir, NodeRedFlow.SettingsFileName),
        ])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDir,
        };
        var process = new Process { StartInfo = info };
        var log = new StreamWriter(Path.Combine(workDir, LogFileName), append: false, Encoding.UTF8) { AutoFlush = true };
        var peer = new NodeRedPeer(process, log);
        process.OutputDataReceived += (_, e) => peer.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => peer.OnOutput(e.Data);
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException("node did not start.");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            await log.DisposeAsync();
            process.Dispose();
            throw new InvalidOperationException("`node` (Node.js 18 or newer) is not on PATH; install it with `apt-get install nodejs npm`.", e);
        }
        // Whatever ends this process (Ctrl+C, SIGTERM, an unhandled exception) ends Node-RED too;
        // if it is killed outright, settings.js stops Node-RED when its stdin closes.
        AppDomain.CurrentDomain.ProcessExit += peer._killOnExit;
        Console.CancelKeyPress += peer.OnCancelKeyPress;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await peer.WaitUntilSubscribedAsync(mqttPort, ct);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops Node-RED by closing its stdin (settings.js turns that into Node-RED's own clean stop)
    /// and kills it if it is still there after <see cref="StopDeadline"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        Console.CancelKeyPress -= OnCancelKeyPress;
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var deadline = new CancellationTokenSource(StopDeadline);
                try
                {
                    await _process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    KillNow();
                    await _process.WaitForExitAsync();
                }
            }
            else
            {
                // Drains the redirected output into the log.
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            lock (_outputLock)
            {
                _logClosed = true;
                _log.Dispose();
            }
        }
    }

    /// <summary>
    /// Publishes a probe on a topic the flow does not store, every <see cref="ProbeInterval"/>,
    /// until the function node's warning about it shows in the output: then the broker delivers
    /// to the flow's subscription. A log line such as "Connected to broker" comes before the
    /// SUBSCRIBE is acknowledged, so messages published right after it could be missed.
    /// </summary>
    private async Task WaitUntilSubscribedAsync(int mqttPort, CancellationToken ct)
    {
        string token = "ready-probe-" + Guid.NewGuid().ToString("N");
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_outputLock)
        {
            _awaitedToken = token;
            _tokenSeen = seen;
        }
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", mqttPort)
            .WithClientId(NodeRedFlow.MqttClientId + "-probe")
            .Build(), ct);
        var probe = new MqttApplicationMessageBuilder()
            .WithTopic("lightson/" + token)
            .WithPayload("{}"u8.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        var started = Stopwatch.StartNew();
        while (!seen.Task.IsCompleted)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node-RED exited with {_process.ExitCode} at start:\n{RecentOutput()}");
            }
            if (ErrorLogged())
            {
                // A flow that does not deploy (bad node configuration, a missing module) logs an error and never answers.
                await Task.Delay(ProbeInterval, ct);
                throw new InvalidOperationException($"Node-RED logged an error at start:\n{RecentOutput()}");
            }
            if (started.Elapsed > StartDeadline)
            {
                throw new InvalidOperationException(
                    $"Node-RED's flow did not receive a probe on the broker at 127.0.0.1:{mqttPort} within {StartDeadline.TotalSeconds} s:\n{RecentOutput()}");
            }
            await client.PublishAsync(probe, ct);
            await Task.WhenAny(seen.Task, Task.Delay(ProbeInterval, ct));
            ct.ThrowIfCancellationRequested();
        }
        await client.DisconnectAsync(cancellationToken: ct);
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_outputLock)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
            _recentLines.Enqueue(line);
            if (_recentLines.Count > 40)
            {
                _recentLines.Dequeue();
            }
            _errorLogged |= line.Contains("[error]", StringComparison.Ordinal);
            if (_awaitedToken is { } token && line.Contains(token, StringComparison.Ordinal))
            {
                _tokenSeen?.TrySetResult();
            }
        }
    }

    private bool ErrorLogged()
    {
        lock (_outputLock)
        {
            return _errorLogged;
        }
    }

    private string RecentOutput()
    {
        lock (_outputLock)
        {
            return string.Join('\n', _recentLines);
        }
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => KillNow();

    private void KillNow()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started or already gone.
        }
    }

    /// <summary>
    /// The install folder (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>, then <c>lightson-bench/node-red</c>),
    /// with node-red <see cref="NodeRedVersion"/>.x and node-red-contrib-influxdb
    /// <see cref="InfluxNodesVersion"/> installed by npm unless they are already there.
    /// </summary>
    private static async Task<string> EnsureInstalledAsync(CancellationToken ct)
    {
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        string dir = Path.Combine(cache, "lightson-bench", "node-red");
        if (InstalledVersion(dir, "node-red")?.StartsWith(NodeRedVersion + ".", StringComparison.Ordinal) == true
            && InstalledVersion(dir, "node-red-contrib-influxdb") == InfluxNodesVersion)
        {
            return dir;
        }
        Directory.CreateDirectory(dir);
        string manifest = Path.Combine(dir, "package.json");
        if (!File.Exists(manifest))
        {
            // Without a manifest of its own npm would install into the nearest parent project.
            await File.WriteAllTextAsync(manifest, """{ "name": "lightson-bench-node-red", "private": true }""", ct);
        }
        Console.Error.WriteLine($"// installing node-red@{NodeRedVersion} and node-red-contrib-influxdb@{InfluxNodesVersion} into {dir}");
        var info = new ProcessStartInfo("npm",
            ["install", "--no-audit", "--no-fund", "--prefix", dir, $"node-red@{NodeRedVersion}", $"node-red-contrib-influxdb@{InfluxNodesVersion}"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        Process npm;
        try
        {
            npm = Process.Start(info) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("`npm` is not on PATH; install Node.js and npm with `apt-get install nodejs npm`.", e);
        }
        using (npm)
        {
            var output = npm.StandardOutput.ReadToEndAsync(ct);
            var errors = npm.StandardError.ReadToEndAsync(ct);
            try
            {
                await npm.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                npm.Kill(entireProcessTree: true);
                throw;
            }
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm install failed with {npm.ExitCode}:\n{await output}\n{await errors}");
            }
        }
        if (InstalledVersion(dir, "node-red") is not { } installed || !installed.StartsWith(NodeRedVersion + ".", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"npm install left no node-red {NodeRedVersion}.x in {dir}.");
        }
        return dir;
    }

    private static string? InstalledVersion(string dir, string package)
    {
        string manifest = Path.Combine(dir, "node_modules", package, "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }
        using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
        return json.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    /// <summary>
    /// The influxdb nodes write into an existing database and do not create one; an integrator
    /// creates it once. <c>CREATE DATABASE</c> does nothing if it exists.
    /// </summary>
    private static async Task CreateDatabaseAsync(Uri influx, string database, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string statement = "CREATE DATABASE \"" + database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        using var response = await http.PostAsync(new Uri(influx, "/query?q=" + Uri.EscapeDataString(statement)), content: null, ct);
        string body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"InfluxDB at {influx} refused `{statement}`: HTTP {(int)response.StatusCode} {body}");
        }
    }
}
