using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.Benchmarks.EndToEnd.NodeRed;

/// <summary>
/// <c>node-red-peer</c> mode: the Node-RED peer alone, on a private influxd and Mosquitto, under
/// a fixed QoS 1 publish rate; prints sent against stored and each process's CPU per message.
/// For finding the rate the peer sustains without loss; the end-to-end runner measures it next
/// to the gateway.
/// </summary>
internal static class NodeRedPeerCheck
{
    public const string Mode = "node-red-peer";
    private const string Database = "nodered";

    // design.md-shaped load: 300 households in 5 communities, each with a door contact, a light,
    // a motion sensor and a status heartbeat.
    private const int Households = 300;
    private static readonly (string Kind, string Device)[] Devices = [("door", "d1"), ("light", "l1"), ("motion", "m1"), ("status", "s1")];

    // The count is final when it has not moved for this long after the last publish.
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(5);

    /// <param name="args">
    /// <c>--rate R</c> messages/s (default 1000), <c>--duration S</c> seconds of publishing
    /// (default 20), <c>--connections C</c> publishing clients (default 8), <c>--batch</c> for the
    /// join + influxdb batch wiring, <c>--keep</c> to keep the folder with the logs.
    /// </param>
    public static async Task<int> RunAsync(string[] args)
    {
        int rate = IntArg(args, "--rate", 1000);
        int duration = IntArg(args, "--duration", 20);
        int connections = IntArg(args, "--connections", 8);
        bool batch = args.Contains("--batch");
        bool keep = args.Contains("--keep");
        long total = (long)rate * duration;

        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM end the run through the finally blocks, which stop every process it started.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var ct = stop.Token;
        string folder = Directory.CreateTempSubdirectory("lightson-node-red-peer-").FullName;
        try
        {
            using var influxd = await PrivateInfluxd.StartAsync(Path.Combine(folder, "influxd"), ct);
            using var mosquitto = await PrivateMosquitto.StartAsync(Path.Combine(folder, "mosquitto"), ct);
            string userDir = Path.Combine(folder, "node-red");
            await using var peer = await NodeRedPeer.StartAsync(userDir, mosquitto.Port, influxd.Url.ToString(), Database, batch, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// {Environment.ProcessorCount} cores; Node-RED {(batch ? "batch (join + influxdb batch)" : "per message (influxdb out)")}; {rate} msg/s for {duration} s = {total} messages, QoS 1, {connections} connections, {Households * Devices.Length} devices"));

            var clients = new IMqttClient[connections];
            for (int c = 0; c < connections; c++)
            {
                clients[c] = new MqttClientFactory().CreateMqttClient();
                await clients[c].ConnectAsync(new MqttClientOptionsBuilder()
                    .WithTcpServer("127.0.0.1", mosquitto.Port)
                    .WithClientId($"load-{c}")
                    .Build(), ct);
            }

            var before = Cpu(peer.ProcessId, mosquitto.ProcessId, influxd.ProcessId);
            var clock = Stopwatch.StartNew();
            long baseTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
            var publishers = clients.Select((client, c) => Task.Run(() => PublishAsync(client, c, connections, total, rate, baseTs, clock, ct), ct));
            long sent = (await Task.WhenAll(publishers)).Sum();
            double publishSeconds = clock.Elapsed.TotalSeconds;

            long stored = 0;
            double storedAt = 0;
            var unchangedSince = Stopwatch.StartNew();
            while (stored < sent && unchangedSince.Elapsed < Settled)
            {
                await Task.Delay(250, ct);
                long count = await influxd.CountAsync(Database, NodeRedFlow.Measurement, "seq", ct);
                if (count != stored)
                {
                    stored = count;
                    storedAt = clock.Elapsed.TotalSeconds;
                    unchangedSince.Restart();
                }
            }
            var after = Cpu(peer.ProcessId, mosquitto.ProcessId, influxd.ProcessId);
            long peakRss = ProcessCpu.PeakResidentBytes(peer.ProcessId);
            foreach (var client in clients)
            {
                client.Dispose();
            }

            long lost = sent - stored;
            double PerMessage(int i) => (after[i] - before[i]) * 1e6 / Math.Max(1, sent);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sent     {sent} in {publishSeconds:F1} s ({sent / publishSeconds:F0} msg/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stored   {stored}, last at {storedAt:F1} s ({stored / Math.Max(storedAt, 1e-9):F0} points/s); lost {lost} ({100.0 * lost / Math.Max(1, sent):F2} %)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cpu      node-red {after[0] - before[0]:F2} s = {PerMessage(0):F1} µs/msg; mosquitto {after[1] - before[1]:F2} s = {PerMessage(1):F1} µs/msg; influxd {after[2] - before[2]:F2} s = {PerMessage(2):F1} µs/msg"));
            var errors = Errors(Path.Combine(userDir, NodeRedPeer.LogFileName));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"node-red peak RSS {peakRss / (1024.0 * 1024):F0} MiB; {errors.Sum(e => e.Count)} error lines in its log"));
            foreach (var (error, count) in errors.Take(3))
            {
                Console.WriteLine($"  {count} × {error}");
            }
            return lost == 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("// cancelled");
            return 130;
        }
        finally
        {
            if (keep)
            {
                Console.WriteLine($"// kept {folder}");
            }
            else
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>
    /// Client <paramref name="c"/> of <paramref name="connections"/> publishes messages c, c + connections, …
    /// each at its due time (message n at n / rate seconds), waiting for each PUBACK; a client that
    /// falls behind catches up back to back, so the printed rate shows what was really offered.
    /// </summary>
    private static async Task<long> PublishAsync(IMqttClient client, int c, int connections, long total, int rate, long baseTs, Stopwatch clock, CancellationToken ct)
    {
        long sent = 0;
        var payload = new StringBuilder(96);
        for (long n = c; n < total; n += connections)
        {
            var due = TimeSpan.FromSeconds((double)n / rate) - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, ct);
            }
            int device = (int)(n % (Households * Devices.Length));
            int household = device / Devices.Length;
            var (kind, id) = Devices[device % Devices.Length];
            long seq = n / (Households * Devices.Length) + 1;
            // ts = base + n: unique per device, so no point overwrites another (same series, same time).
            payload.Clear().Append(CultureInfo.InvariantCulture, $$"""{"ts":{{baseTs + n}},"seq":{{seq}},""");
            payload.Append(kind switch
            {
                "door" => seq % 2 == 0 ? "\"open\":false}" : "\"open\":true}",
                "light" => seq % 2 == 0 ? "\"on\":false,\"lux\":3.5}" : "\"on\":true,\"lux\":120}",
                "motion" => "\"motion\":true}",
                _ => "\"battery\":87,\"rssi\":-61}",
            });
            await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"lightson/c{household % 5 + 1}/h{household:D4}/{kind}/{id}")
                .WithPayload(Encoding.UTF8.GetBytes(payload.ToString()))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), ct);
            sent++;
        }
        return sent;
    }

    private static double[] Cpu(params int[] pids) => [.. pids.Select(ProcessCpu.Seconds)];

    /// <summary>Node-RED's error lines without their time stamps, most frequent first.</summary>
    private static List<(string Error, int Count)> Errors(string log)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            int at = line.IndexOf("[error]", StringComparison.Ordinal);
            if (at >= 0)
            {
                string error = line[at..];
                errors[error] = errors.GetValueOrDefault(error) + 1;
            }
        }
        return [.. errors.OrderByDescending(e => e.Value).Select(e => (e.Key, e.Value))];
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
