using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LightsOn.Gateway;
using LightsOn.Gateway.Ingest;
using LightsOn.Gateway.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.Benchmarks.EndToEnd;

/// <summary>
/// <c>flood-latency</c> mode: the SOS publish → alert event latency of normal households,
/// first on a quiet gateway, then while one device floods it over its own connections. The
/// whole gateway runs in process on real time, over a private influxd and real MQTT clients.
/// Not a BenchmarkDotNet suite: one end-to-end run, percentiles printed at the end.
/// </summary>
internal static class FloodLatency
{
    public const string Mode = "flood-latency";
    private const string FloodTopic = "lightson/c1/h0000/status/d1";

    // SOS before the first phase, not measured: the first alerts pay for JIT and InfluxDB's database creation.
    private const int WarmUp = 20;

    /// <param name="args">
    /// <c>--sos N</c> SOS per phase (default 100), <c>--interval-ms M</c> between two SOS (default 100),
    /// <c>--flood-connections C</c> (default 4, half QoS 0, half QoS 1); any <c>--Section:Key=value</c> goes to the gateway.
    /// </param>
    public static async Task<int> RunAsync(string[] args)
    {
        int sos = IntArg(args, "--sos", 100);
        int intervalMs = IntArg(args, "--interval-ms", 100);
        int floodConnections = IntArg(args, "--flood-connections", 4);
        string[] gatewaySettings = [.. args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal))];

        string folder = Directory.CreateTempSubdirectory("lightson-flood-latency-").FullName;
        using var influx = await StartInfluxAsync(folder);
        string registry = Path.Combine(folder, "registry.json");
        await File.WriteAllTextAsync(registry, RegistryJson(2 * sos + WarmUp + 1));
        int mqttPort = FreePort();
        var app = GatewayHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--Registry:Path={registry}",
            $"--Mqtt:Port={mqttPort}",
            $"--Influx:Url=http://127.0.0.1:{influx.Port}",
            $"--Spool:Path={Path.Combine(folder, "spool")}",
            $"--Auth:TokensPath={Path.Combine(folder, "tokens.json")}",
            "--Auth:BootstrapAdminToken=lo_flood-latency-0123456789abcdefghijklmnopq",
            // An information line per alert would be most of what this run does.
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            .. gatewaySettings]);
        await app.StartAsync();
        try
        {
            var counters = app.Services.GetRequiredService<IngestCounters>();
            var alerts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            using var watcher = await ConnectAsync(mqttPort, "watcher");
            watcher.ApplicationMessageReceivedAsync += e =>
            {
                long at = Stopwatch.GetTimestamp();
                using var json = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString());
                if (json.RootElement.GetProperty("kind").GetString() == "sos")
                {
                    alerts.TryAdd(json.RootElement.GetProperty("household").GetString()!, at);
                }
                return Task.CompletedTask;
            };
            await watcher.SubscribeAsync("lightson/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);

            Console.WriteLine($"// {Environment.ProcessorCount} cores, {sos} SOS per phase every {intervalMs} ms, settings: {string.Join(' ', gatewaySettings)}");
            await SosPhaseAsync(mqttPort, alerts, first: 2 * sos + 1, WarmUp, intervalMs);
            var quiet = await SosPhaseAsync(mqttPort, alerts, first: 1, sos, intervalMs);
            Report("no flood", quiet);

            long limitedBefore = counters.RejectedBy(RejectReason.RateLimited);
            long received = counters.MessagesIn;
            long floodSent = 0;
            using var stop = new CancellationTokenSource();
            var flooders = new List<IMqttClient>();
            for (int c = 0; c < floodConnections; c++)
            {
                flooders.Add(await ConnectAsync(mqttPort, $"flood-{c}"));
            }
            var floodTime = Stopwatch.StartNew();
            var flood = Task.WhenAll(flooders.Select((client, c) => Task.Run(() => FloodAsync(
                client, c % 2 == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce))));
            await Task.Delay(1000);
            var flooded = await SosPhaseAsync(mqttPort, alerts, first: sos + 1, sos, intervalMs);
            await stop.CancelAsync();
            await flood;
            double seconds = floodTime.Elapsed.TotalSeconds;
            Report("flood", flooded);
            long sent = Interlocked.Read(ref floodSent);
            long limited = counters.RejectedBy(RejectReason.RateLimited) - limitedBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// flood: {sent} messages in {seconds:F1} s ({sent / seconds:F0}/s) on {floodConnections} connections; {limited} rate-limited; gateway received {counters.MessagesIn - received} meanwhile"));
            foreach (var client in flooders)
            {
                client.Dispose();
            }
            return 0;

            async Task FloodAsync(IMqttClient client, MqttQualityOfServiceLevel qos)
            {
                long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
                while (!stop.IsCancellationRequested)
                {
                    long n = Interlocked.Increment(ref floodSent);
                    await client.PublishAsync(new MqttApplicationMessageBuilder()
                        .WithTopic(FloodTopic)
                        .WithPayload(Encoding.UTF8.GetBytes($$"""{"ts":{{start + n}},"seq":{{n}},"battery":80}"""))
                        .WithQualityOfServiceLevel(qos)
                        .Build());
                }
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            influx.Kill();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Households <paramref name="first"/>.. each press SOS once, <paramref name="intervalMs"/> apart; returns publish → alert latencies in ms.</summary>
    private static async Task<double[]> SosPhaseAsync(int port, ConcurrentDictionary<string, long> alerts, int first, int count, int intervalMs)
    {
        var buttons = new IMqttClient[count];
        for (int i = 0; i < count; i++)
        {
            buttons[i] = await ConnectAsync(port, $"h{first + i:D4}-b1");
        }
        var sentAt = new long[count];
        var presses = new List<Task>();
        var schedule = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            var due = TimeSpan.FromMilliseconds((double)i * intervalMs) - schedule.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
            sentAt[i] = Stopwatch.GetTimestamp();
            presses.Add(buttons[i].PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"lightson/c1/h{first + i:D4}/sos/b1")
                .WithPayload(Encoding.UTF8.GetBytes($$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"seq":1}"""))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build()));
        }
        await Task.WhenAll(presses);
        var deadline = Stopwatch.StartNew();
        var latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            long at;
            while (!alerts.TryGetValue($"h{first + i:D4}", out at))
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException($"no alert for h{first + i:D4} within 60 s");
                }
                await Task.Delay(10);
            }
            latencies[i] = Stopwatch.GetElapsedTime(sentAt[i], at).TotalMilliseconds;
        }
        foreach (var button in buttons)
        {
            button.Dispose();
        }
        return latencies;
    }

    private static void Report(string phase, double[] latencies)
    {
        var sorted = latencies.Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase,-10} SOS → alert event: n={sorted.Length} p50={P(0.50):F1} ms p99={P(0.99):F1} ms max={sorted[^1]:F1} ms"));
    }

    private static async Task<IMqttClient> ConnectAsync(int port, string name)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(name).Build());
        return client;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RegistryJson(int households)
    {
        var list = string.Join(",\n", Enumerable.Range(0, households).Select(i =>
            $$"""{"id":"h{{i:D4}}","community":"c1","grid":"g1","risk":"medium","devices":[{"id":"d1","kind":"door"},{"id":"b1","kind":"sos"}]}"""));
        return $$"""{"communities":[{"id":"c1"}],"households":[{{list}}]}""";
    }

    /// <summary>A private influxd (1.x) in <paramref name="folder"/>, so the run needs no set-up and leaves nothing behind.</summary>
    private static async Task<InfluxProcess> StartInfluxAsync(string folder)
    {
        int port = FreePort();
        string config = Path.Combine(folder, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{FreePort()}"
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
            """);
        var process = Process.Start(new ProcessStartInfo("influxd", ["-config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("influxd (InfluxDB 1.x) did not start; is it installed?");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ping = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/ping"));
                if (ping.IsSuccessStatusCode)
                {
                    return new InfluxProcess(process, port);
                }
            }
            catch (HttpRequestException)
            {
            }
            if (started.Elapsed > TimeSpan.FromSeconds(30) || process.HasExited)
            {
                throw new InvalidOperationException("influxd did not answer /ping within 30 s.");
            }
            await Task.Delay(100);
        }
    }

    private sealed class InfluxProcess(Process process, int port) : IDisposable
    {
        public int Port { get; } = port;

        public void Kill()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Kill();
            process.Dispose();
        }
    }
}
