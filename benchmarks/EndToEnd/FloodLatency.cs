using System.Diagnostics;
using System.Globalization;
using System.Text;
using LightsOn.Benchmarks.EndToEnd.Shared;
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
        var influx = await InfluxServer.StartAsync(folder);
        string registry = Path.Combine(folder, "registry.json");
        await File.WriteAllTextAsync(registry, RegistryJson(2 * sos + WarmUp + 1));
        int mqttPort = FreePort.Next();
        var app = GatewayHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--Registry:Path={registry}",
            $"--Mqtt:Port={mqttPort}",
            $"--Influx:Url={influx.Url}",
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
            var interval = TimeSpan.FromMilliseconds(intervalMs);
            Console.WriteLine($"// {Environment.ProcessorCount} cores, {sos} SOS per phase every {intervalMs} ms, settings: {string.Join(' ', gatewaySettings)}");
            await PressAsync(mqttPort, first: 2 * sos + 1, WarmUp, interval);
            var quiet = await PressAsync(mqttPort, first: 1, sos, interval);
            Console.WriteLine($"no flood   SOS → alert event: {quiet}");

            long limitedBefore = counters.RejectedBy(RejectReason.RateLimited);
            long received = counters.MessagesIn;
            long floodSent = 0;
            using var stop = new CancellationTokenSource();
            var flooders = new List<IMqttClient>();
            for (int c = 0; c < floodConnections; c++)
            {
                flooders.Add(await MqttClients.ConnectAsync(mqttPort, $"flood-{c}"));
            }
            var floodTime = Stopwatch.StartNew();
            var flood = Task.WhenAll(flooders.Select((client, c) => Task.Run(() => FloodAsync(
                client, c % 2 == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce))));
            await Task.Delay(1000);
            var flooded = await PressAsync(mqttPort, first: sos + 1, sos, interval);
            await stop.CancelAsync();
            await flood;
            double seconds = floodTime.Elapsed.TotalSeconds;
            Console.WriteLine($"flood      SOS → alert event: {flooded}");
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
            await influx.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Households <paramref name="first"/>.. each press SOS once, <paramref name="interval"/> apart.</summary>
    private static async Task<LatencySummary> PressAsync(int port, int first, int count, TimeSpan interval)
    {
        var buttons = Enumerable.Range(first, count).Select(i => new SosButton("c1", $"h{i:D4}", "b1")).ToArray();
        await using var probe = await SosProbe.ConnectAsync(port, buttons);
        return LatencySummary.Of(await probe.PressAllAsync(interval));
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string RegistryJson(int households)
    {
        var list = string.Join(",\n", Enumerable.Range(0, households).Select(i =>
            $$"""{"id":"h{{i:D4}}","community":"c1","grid":"g1","risk":"medium","devices":[{"id":"d1","kind":"door"},{"id":"b1","kind":"sos"}]}"""));
        return $$"""{"communities":[{"id":"c1"}],"households":[{{list}}]}""";
    }
}
