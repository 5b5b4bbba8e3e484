using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LightsOn.Gateway.Tests.Fixtures;

/// <summary>
/// A real InfluxDB 1.x (Debian's <c>influxd</c>) on free loopback ports, from a temporary
/// folder with a generated config. <see cref="StopAsync"/> and <see cref="StartAsync"/> take it
/// down and bring it back on the same data for outage tests; disposing kills it and deletes
/// the folder. A missing <c>influxd</c> fails the test with how to install it.
/// </summary>
public sealed class InfluxDbServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("lightson-influxd-").FullName;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Process? _process;

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>The database <see cref="QueryAsync"/> and <see cref="CountAsync"/> read unless told otherwise.</summary>
    public string Database { get; set; } = "lightson";

    /// <summary>The server's own output so far, for failure messages.</summary>
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

    async Task IAsyncLifetime.InitializeAsync() => await StartAsync();

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }
        string influxd = FindInfluxd() ?? throw new InvalidOperationException(
            "influxd (InfluxDB 1.x) is not installed; the storage tests need it. Install it with `sudo apt-get install influxdb` " +
            "(Debian/Ubuntu), or run ./test.sh, which installs it.");

        // A port taken between choosing it and influxd binding it makes the start fail; choose again.
        for (int attempt = 1; ; attempt++)
        {
            if (Port == 0 || attempt > 1)
            {
                Port = FreePort();
            }
            int rpcPort = FreePort();
            string config = Path.Combine(_folder, "influxdb.conf");
            await File.WriteAllTextAsync(config, Config(Port, rpcPort));
            try
            {
                await LaunchAsync(influxd, config);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Kill();
            }
        }
    }

    /// <summary>Stops the server gracefully (SIGTERM), keeping its data for the next <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
        }
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        _process = null;
    }

    /// <summary>Runs InfluxQL through <c>GET /query</c>; returns the first statement's result (<c>results[0]</c>).</summary>
    public Task<JsonElement> QueryAsync(string influxql, string? database = null) => RunAsync(HttpMethod.Get, influxql, database);

    /// <summary>Runs a statement that changes something (<c>DROP</c>, <c>CREATE</c>): 1.x takes those only by POST.</summary>
    public Task<JsonElement> ExecuteAsync(string influxql, string? database = null) => RunAsync(HttpMethod.Post, influxql, database);

    private async Task<JsonElement> RunAsync(HttpMethod method, string influxql, string? database)
    {
        var uri = new Uri(Url, $"/query?db={Uri.EscapeDataString(database ?? Database)}&epoch=ms&q={Uri.EscapeDataString(influxql)}");
        using var request = new HttpRequestMessage(method, uri);
        using var response = await _http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxQL `{influxql}` failed: HTTP {(int)response.StatusCode} {body}");
        }
        using var document = JsonDocument.Parse(body);
        var result = document.RootElement.GetProperty("results")[0].Clone();
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"InfluxQL `{influxql}` failed: {error.GetString()}");
        }
        return result;
    }

    /// <summary>
    /// How many points <paramref name="measurement"/> holds: rows of <c>SELECT *</c>, since
    /// <c>COUNT(*)</c> counts per field and points carry different fields.
    /// </summary>
    /// <summary>
    /// <see cref="CountAsync"/>, but 0 while the database does not exist yet: the gateway creates
    /// it in the background at start, so a test polling for its points may ask before it is there.
    /// </summary>
    public async Task<long> CountOrZeroAsync(string measurement = "telemetry")
    {
        try
        {
            return await CountAsync(measurement);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    public async Task<long> CountAsync(string measurement, string? database = null)
    {
        var result = await QueryAsync($"SELECT * FROM \"{measurement}\"", database);
        long rows = 0;
        if (result.TryGetProperty("series", out var series))
        {
            foreach (var one in series.EnumerateArray())
            {
                rows += one.GetProperty("values").GetArrayLength();
            }
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _http.Dispose();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 4)
            {
                // influxd may still be closing its files right after the kill.
                await Task.Delay(100);
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
        }
    }

    private async Task LaunchAsync(string influxd, string config)
    {
        var info = new ProcessStartInfo(influxd, ["run", "-config", config])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartDeadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"influxd exited with {process.ExitCode} at start:\n{Output}");
            }
            try
            {
                using var ping = await _http.GetAsync(new Uri(Url, "/ping"));
                if (ping.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"influxd did not answer /ping on port {Port} within {StartDeadline.TotalSeconds} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private void Kill()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
            _process = null;
        }
    }

    private string Config(int httpPort, int rpcPort)
    {
        string Dir(string name) => Path.Combine(_folder, name).Replace("\\", "/", StringComparison.Ordinal);
        return $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpcPort}"

            [meta]
              dir = "{Dir("meta")}"
              logging-enabled = false

            [data]
              dir = "{Dir("data")}"
              wal-dir = "{Dir("wal")}"
              index-version = "tsi1"
              wal-fsync-delay = "0s"
              query-log-enabled = false
              trace-logging-enabled = false

            [coordinator]
              log-queries-after = "0s"

            [retention]
              enabled = false

            [shard-precreation]
              enabled = false

            [monitor]
              store-enabled = false

            [http]
              enabled = true
              bind-address = "127.0.0.1:{httpPort}"
              auth-enabled = false
              log-enabled = false
              write-tracing = false
              pprof-enabled = false
              max-row-limit = 0

            [logging]
              level = "warn"
              suppress-logo = true

            [subscriber]
              enabled = false

            [continuous_queries]
              enabled = false
            """;
    }

    private static string? FindInfluxd()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/sbin"))
        {
            if (dir.Length == 0)
            {
                continue;
            }
            string candidate = Path.Combine(dir, "influxd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
