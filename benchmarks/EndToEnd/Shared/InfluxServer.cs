using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace LightsOn.Benchmarks.EndToEnd.Shared;

/// <summary>
/// A private InfluxDB 1.x (Debian's <c>influxd</c>) as its own process, on free loopback ports,
/// from a folder it owns, so a run needs no set-up, measures only its own data and leaves
/// nothing behind. Disposing kills it and deletes the folder.
/// </summary>
internal sealed class InfluxServer : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly string _folder;
    private readonly ChildProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(120) };

    private InfluxServer(string folder, ChildProcess process, int port)
    {
        _folder = folder;
        _process = process;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts influxd on a new folder under <paramref name="parent"/> and waits until it answers <c>/ping</c>.</summary>
    public static async Task<InfluxServer> StartAsync(string parent)
    {
        string influxd = ExecutableFinder.Find("influxd")
            ?? throw new InvalidOperationException("influxd (InfluxDB 1.x) is not installed: install it with `apt-get install influxdb`.");
        string folder = Directory.CreateDirectory(Path.Combine(parent, $"influxd-{Guid.NewGuid():N}")).FullName;
        // A port taken between choosing it and influxd binding it makes the start fail; choose again.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Next();
            string config = Path.Combine(folder, "influxdb.conf");
            await File.WriteAllTextAsync(config, Config(folder, port, FreePort.Next()));
            var process = ChildProcess.Start("influxd", influxd, ["run", "-config", config], workingDirectory: folder);
            var server = new InfluxServer(folder, process, port);
            if (await server.WaitUntilUpAsync())
            {
                return server;
            }
            string tail = process.Tail;
            await process.DisposeAsync();
            if (attempt == 3)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"influxd did not answer /ping within {StartDeadline.TotalSeconds} s:\n{tail}");
            }
        }
    }

    /// <summary>Runs a statement that changes something (<c>CREATE DATABASE</c>): 1.x takes those only by POST.</summary>
    public async Task ExecuteAsync(string influxql)
    {
        using var response = await _http.PostAsync(new Uri(Url, $"/query?q={Uri.EscapeDataString(influxql)}"), null);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"InfluxQL `{influxql}` failed: HTTP {(int)response.StatusCode} {body}");
        }
    }

    /// <summary>
    /// Points in <paramref name="measurement"/> of <paramref name="database"/> that carry
    /// <paramref name="field"/> (<c>SELECT count(field)</c>); 0 when the database or measurement does not exist.
    /// </summary>
    public async Task<long> CountAsync(string database, string measurement, string field)
    {
        string query = $"SELECT count(\"{field}\") FROM \"{measurement}\"";
        using var response = await _http.GetAsync(new Uri(Url, $"/query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString(query)}"));
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxQL `{query}` failed: HTTP {(int)response.StatusCode} {body}");
        }
        using var document = JsonDocument.Parse(body);
        var result = document.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error))
        {
            return error.GetString() is { } message && message.Contains("database not found", StringComparison.Ordinal)
                ? 0
                : throw new InvalidOperationException($"InfluxQL `{query}` failed: {error.GetString()}");
        }
        return result.TryGetProperty("series", out var series) ? series[0].GetProperty("values")[0][1].GetInt64() : 0;
    }

    /// <summary>
    /// Polls <see cref="CountAsync"/> until it reaches <paramref name="expected"/> or stops moving
    /// (the same value <paramref name="stablePolls"/> times in a row, <paramref name="interval"/> apart),
    /// or <paramref name="timeout"/> passes: what is stored once the writers are done, never assumed.
    /// </summary>
    public async Task<long> WaitForCountAsync(string database, string measurement, string field, long expected,
        TimeSpan interval, int stablePolls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long last = -1;
        int same = 0;
        while (true)
        {
            long count = await CountAsync(database, measurement, field);
            if (count >= expected && expected > 0)
            {
                // Reached: one more look catches points beyond what was expected (duplicates).
                await Task.Delay(interval, cancellationToken);
                return await CountAsync(database, measurement, field);
            }
            same = count == last ? same + 1 : 0;
            last = count;
            if (same >= stablePolls || clock.Elapsed > timeout)
            {
                return count;
            }
            await Task.Delay(interval, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
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
                await Task.Delay(200);
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
        }
    }

    private async Task<bool> WaitUntilUpAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartDeadline && !_process.HasExited)
        {
            try
            {
                using var ping = await _http.GetAsync(new Uri(Url, "/ping"));
                if (ping.StatusCode == HttpStatusCode.NoContent)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        return false;
    }

    private static string Config(string folder, int httpPort, int rpcPort) => string.Create(CultureInfo.InvariantCulture, $"""
        reporting-disabled = true
        bind-address = "127.0.0.1:{rpcPort}"

        [meta]
          dir = "{folder}/meta"
          logging-enabled = false

        [data]
          dir = "{folder}/data"
          wal-dir = "{folder}/wal"
          index-version = "tsi1"
          query-log-enabled = false
          trace-logging-enabled = false
          # A million households are more tag values and series than the defaults allow.
          max-series-per-database = 0
          max-values-per-tag = 0

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
        """);
}
