using System.Diagnostics;
using System.Text.Json;

namespace LightsOn.Benchmarks.EndToEnd.NodeRed;

/// <summary>
/// An InfluxDB 1.x (<c>influxd</c>) of its own in a folder, on free loopback ports, so a run needs
/// no set-up and leaves nothing behind.
/// </summary>
internal sealed class PrivateInfluxd : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private bool _logClosed;

    private PrivateInfluxd(Process process, int port, string logPath)
    {
        _process = process;
        _log = new StreamWriter(logPath) { AutoFlush = true };
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    public static async Task<PrivateInfluxd> StartAsync(string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        int port = FreePort.Next();
        string config = Path.Combine(folder, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{FreePort.Next()}"
            [meta]
              dir = "{folder}/meta"
              logging-enabled = false
            [data]
              dir = "{folder}/data"
              wal-dir = "{folder}/wal"
              index-version = "tsi1"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              bind-address = "127.0.0.1:{port}"
              log-enabled = false
              max-row-limit = 0
            [logging]
              level = "warn"
              suppress-logo = true

            """, ct);
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("influxd", ["run", "-config", config])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("influxd did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("influxd (InfluxDB 1.x) is not installed: `apt-get install influxdb`.", e);
        }
        var influxd = new PrivateInfluxd(process, port, Path.Combine(folder, "influxd.log"));
        process.OutputDataReceived += (_, e) => influxd.Append(e.Data);
        process.ErrorDataReceived += (_, e) => influxd.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ping = await influxd._http.GetAsync(new Uri(influxd.Url, "/ping"), ct);
                if (ping.IsSuccessStatusCode)
                {
                    return influxd;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (started.Elapsed > TimeSpan.FromSeconds(30) || process.HasExited)
            {
                influxd.Dispose();
                throw new InvalidOperationException("influxd did not answer /ping within 30 s.");
            }
            await Task.Delay(100, ct);
        }
    }

    /// <summary>How many values <paramref name="field"/> has in <paramref name="measurement"/>: the point count when every point has it.</summary>
    public async Task<long> CountAsync(string database, string measurement, string field, CancellationToken ct)
    {
        string query = $"SELECT COUNT(\"{field}\") FROM \"{measurement}\"";
        var uri = new Uri(Url, $"/query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString(query)}");
        using var response = await _http.GetAsync(uri, ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        var result = json.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"`{query}` failed: {error.GetString()}");
        }
        if (!result.TryGetProperty("series", out var series))
        {
            return 0;
        }
        return series[0].GetProperty("values")[0][1].GetInt64();
    }

    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        // Returns once the redirected output is drained into the log.
        _process.WaitForExit();
        _process.Dispose();
        lock (_logLock)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        lock (_logLock)
        {
            if (line is not null && !_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
