using System.Diagnostics;
using System.Globalization;
using LightsOn.Benchmarks.EndToEnd.References;
using LightsOn.Benchmarks.EndToEnd.Shared;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>The variants that take the MQTT load: the two references, the gateway in both broker modes, and the Node-RED peer.</summary>
internal sealed partial class E2eRunner
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    // Generous: over an external broker at --rate max the gateway may still be working through the queue long after the load ended.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Waits until what the load handed over has gone all the way through (the count that is
    /// expected to reach <c>expected</c>), taking CPU samples as it polls; returns the sample taken
    /// when the final state was first seen, which ends the measured window.
    /// </summary>
    private delegate Task<CpuSample> Settle(long expected, Func<CpuSample> sample, VariantResult result);

    private async Task<VariantResult> RunMosquittoAsync()
    {
        string folder = VariantFolder(E2eVariants.Mosquitto);
        await using var mosquitto = await MosquittoBroker.StartAsync(folder);
        var result = await MeasureLoadAsync(E2eVariants.Mosquitto, mosquitto.Port, [new MeasuredProcess("mosquitto", mosquitto.ProcessId)], settle: null, probe: null);
        NoteMosquittoLog(result, mosquitto);
        return result;
    }

    private async Task<VariantResult> RunMqttnetAsync()
    {
        int port = FreePort.Next();
        // Under the gateway's runtimeconfig.json: the same GC mode (server) and thread-pool settings,
        // so whatever runtime tuning the gateway ships with, the reference has it too.
        string runtimeConfig = Path.ChangeExtension(_gatewayDll, ".runtimeconfig.json");
        string deps = Path.ChangeExtension(_benchmarksDll, ".deps.json");
        await using var server = ChildProcess.Start("bare MQTTnet server", DotnetHost.Path,
            ["exec", "--runtimeconfig", runtimeConfig, "--depsfile", deps, _benchmarksDll, BareMqttnet.Mode, "--port", port.ToString(CultureInfo.InvariantCulture)],
            standardInput: true);
        string listening = await server.WaitForLineAsync(l => l.StartsWith("listening", StringComparison.Ordinal), StartTimeout, "listening");
        var result = await MeasureLoadAsync(E2eVariants.Mqttnet, port, [new MeasuredProcess("mqttnet", server.Id)], settle: null, probe: null);
        result.Notes.Add($"ran under the gateway's {Path.GetFileName(runtimeConfig)} ({listening[(listening.IndexOf(' ', StringComparison.Ordinal) + 1)..]})");
        server.CloseInput();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        return result;
    }

    private async Task<VariantResult> RunGatewayAsync(bool external)
    {
        string name = external ? E2eVariants.GatewayMosquitto : E2eVariants.Gateway;
        string folder = VariantFolder(name);
        await using var influx = await InfluxServer.StartAsync(folder);
        // As a deployment would have it: the database exists before the gateway first starts.
        await influx.ExecuteAsync($"CREATE DATABASE \"{Database}\"");
        await using var mosquitto = external ? await MosquittoBroker.StartAsync(folder) : null;
        int port = mosquitto?.Port ?? FreePort.Next();
        string[] broker = external
            ? ["--Mqtt:Mode=external", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={port}"]
            : [$"--Mqtt:Port={port}"];
        await using var gateway = await GatewayServer.StartAsync(_gatewayDll, folder,
            [$"--Registry:Path={_registry}", $"--Influx:Url={influx.Url.ToString().TrimEnd('/')}", $"--Influx:Database={Database}", .. broker],
            StartTimeout);
        // The probe rides along in the embedded variant only: SOS latency is a figure of the gateway as shipped.
        await using var probe = external ? null : await SosProbe.ConnectAsync(port, _sosButtons);

        List<MeasuredProcess> processes = [new("gateway", gateway.ProcessId), new("influxd", influx.ProcessId)];
        if (mosquitto is not null)
        {
            processes.Add(new("mosquitto", mosquitto.ProcessId));
        }
        var result = await MeasureLoadAsync(name, port, processes, (expected, sample, r) => GatewayStoredAsync(gateway, expected, sample, r), probe);
        await CountStoredAsync(result, influx);

        var metrics = await gateway.MetricsAsync();
        foreach (var (metric, meaning) in new[]
        {
            ("lightson_messages_rejected_total", "messages rejected (dead-lettered)"),
            ("lightson_messages_duplicate_total", "messages dropped as duplicates"),
            ("lightson_messages_not_durable_total", "messages left unacknowledged because storage failed"),
            ("lightson_influx_points_rejected_total", "points InfluxDB refused"),
            ("lightson_influx_batches_spooled_total", "batches spooled to disk"),
        })
        {
            if (metrics.GetValueOrDefault(metric) is > 0 and var count)
            {
                result.Notes.Add($"gateway /metrics: {count:N0} {meaning} ({metric})");
            }
        }
        if (metrics.TryGetValue("lightson_influx_batches_written_total", out double batches) && batches > 0)
        {
            result.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"gateway wrote {metrics.GetValueOrDefault("lightson_influx_points_written_total"):N0} points in {batches:N0} batches ({metrics.GetValueOrDefault("lightson_influx_points_written_total") / batches:N1} per batch on average)"));
        }
        if (gateway.Problems is { } problems)
        {
            result.Notes.Add($"gateway log: {problems}");
        }
        if (mosquitto is not null)
        {
            NoteMosquittoLog(result, mosquitto);
        }
        return result;
    }

    /// <summary>
    /// Node-RED peer: NodeRedPeer (EndToEnd/NodeRed) sets up and starts a flow mqtt in
    /// (<c>lightson/#</c>, QoS 1) → influxdb out over the run's Mosquitto and influxd. Its CPU per
    /// message is Node-RED's plus Mosquitto's, against the gateway's own (broker included).
    /// <paramref name="batch"/>: the flow batches its writes as the gateway does, instead of one per message.
    /// </summary>
    private async Task<VariantResult> RunNodeRedAsync(bool batch)
    {
        string variant = batch ? E2eVariants.NodeRedBatch : E2eVariants.NodeRed;
        string folder = VariantFolder(variant);
        await using var influx = await InfluxServer.StartAsync(folder);
        await influx.ExecuteAsync($"CREATE DATABASE \"{Database}\"");
        await using var mosquitto = await MosquittoBroker.StartAsync(folder);
        await using var peer = await NodeRed.NodeRedPeer.StartAsync(Path.Combine(folder, "node-red"), mosquitto.Port,
            influx.Url.ToString().TrimEnd('/'), Database, batch, CancellationToken.None);
        List<MeasuredProcess> processes =
        [
            new("node-red", peer.ProcessId), new("mosquitto", mosquitto.ProcessId), new("influxd", influx.ProcessId),
        ];
        var result = await MeasureLoadAsync(variant, mosquitto.Port, processes,
            (expected, sample, r) => InfluxStoredAsync(influx, expected, sample, r), probe: null);
        await CountStoredAsync(result, influx);
        NoteMosquittoLog(result, mosquitto);
        return result;
    }

    /// <summary>
    /// Runs the load generator against the broker on <paramref name="port"/>: warm-up, then the
    /// measured window from the end of the warm-up until every message is acknowledged (and,
    /// with <paramref name="settle"/>, stored); CPU of every process in
    /// <paramref name="processes"/> and of the generator over that window.
    /// </summary>
    private async Task<VariantResult> MeasureLoadAsync(string name, int port, List<MeasuredProcess> processes, Settle? settle, SosProbe? probe)
    {
        var result = new VariantResult(name);
        await using var load = LoadProcess.Start(_benchmarksDll, port, _registry, _options);
        processes = [.. processes, new MeasuredProcess("load", load.ProcessId)];
        await load.WaitForAsync("connected", StartTimeout);
        var start = await load.WaitForAsync("measure-start", _options.WarmUp + StartTimeout);
        var begin = CpuSample.Take(processes);
        var presses = probe?.PressAllAsync(_options.Duration / _sosButtons.Length);

        var drained = await load.WaitForAsync("drained", _options.Duration + SettleTimeout);
        if (drained.Failure is not null)
        {
            result.Failure = $"load generator: {drained.Failure}";
        }
        if (drained.Unexpected > 0)
        {
            result.Notes.Add($"the broker sent {drained.Unexpected:N0} PUBACKs for no outstanding publish");
        }
        if (presses is not null)
        {
            try
            {
                result.Sos = LatencySummary.Of(await presses);
            }
            catch (TimeoutException e)
            {
                result.Notes.Add($"SOS probe: {e.Message}");
            }
        }
        long expected = drained.Acknowledged + (probe?.Acknowledged ?? 0);
        var end = settle is null ? CpuSample.Take(processes) : await settle(expected, () => CpuSample.Take(processes), result);

        result.Sent = drained.Sent - start.Sent;
        result.Acknowledged = drained.Acknowledged - start.Acknowledged;
        result.Seconds = CpuSample.Seconds(begin, end);
        result.Add(processes, begin, end, result.Acknowledged);
        result.Expected = settle is null ? null : expected;
        if (!_options.Unpaced && result.Sent < 0.98 * _options.Rate * _options.Duration.TotalSeconds)
        {
            result.Notes.Add($"the load fell short of its target: {result.Sent:N0} sent in {_options.Duration.TotalSeconds:0} s, " +
                $"{_options.Rate * _options.Duration.TotalSeconds:N0} due (windows full: the receiving side was slower, or the machine was busy)");
        }
        await load.FinishAsync();
        return result;
    }

    /// <summary>The gateway has received <paramref name="expected"/> messages and its InfluxDB writer has gone quiet (nothing written for 0.6 s).</summary>
    private static async Task<CpuSample> GatewayStoredAsync(GatewayServer gateway, long expected, Func<CpuSample> sample, VariantResult result)
    {
        var clock = Stopwatch.StartNew();
        double lastWritten = -1;
        var atLastChange = sample();
        int quiet = 0;
        while (clock.Elapsed < SettleTimeout)
        {
            var metrics = await gateway.MetricsAsync();
            double received = metrics.GetValueOrDefault("lightson_messages_received_total");
            double written = metrics.GetValueOrDefault("lightson_influx_points_written_total");
            if (written != lastWritten)
            {
                lastWritten = written;
                atLastChange = sample();
                quiet = 0;
            }
            else if (received >= expected && ++quiet >= 3)
            {
                return atLastChange;
            }
            await Task.Delay(200);
        }
        result.Notes.Add($"the gateway had not received and written everything {SettleTimeout.TotalMinutes:0} min after the load ended");
        return sample();
    }

    /// <summary>InfluxDB's count reached <paramref name="expected"/> or stopped moving for 5 s: for a peer that reports nothing itself.</summary>
    private static async Task<CpuSample> InfluxStoredAsync(InfluxServer influx, long expected, Func<CpuSample> sample, VariantResult result)
    {
        var clock = Stopwatch.StartNew();
        long last = -1;
        var atLastChange = sample();
        int same = 0;
        while (clock.Elapsed < SettleTimeout)
        {
            long count = await influx.CountAsync(Database, "telemetry", "seq");
            if (count != last)
            {
                last = count;
                atLastChange = sample();
                same = 0;
            }
            if (count >= expected || ++same >= 5)
            {
                return atLastChange;
            }
            await Task.Delay(1000);
        }
        result.Notes.Add($"InfluxDB's count was still moving {SettleTimeout.TotalMinutes:0} min after the load ended");
        return sample();
    }

    /// <summary>Counts the points back once the count is stable: zero loss is checked, never assumed.</summary>
    private async Task CountStoredAsync(VariantResult result, InfluxServer influx)
    {
        if (result.Expected is not { } expected)
        {
            return;
        }
        result.Stored = await influx.WaitForCountAsync(Database, "telemetry", "seq", expected,
            TimeSpan.FromSeconds(1), stablePolls: 3, TimeSpan.FromMinutes(2), CancellationToken.None);
    }

    private static void NoteMosquittoLog(VariantResult result, MosquittoBroker mosquitto)
    {
        string log = mosquitto.Log;
        if (log.Contains("dropped", StringComparison.OrdinalIgnoreCase))
        {
            result.Notes.Add("mosquitto logged dropped messages: " + log.Split('\n').First(l => l.Contains("dropped", StringComparison.OrdinalIgnoreCase)));
        }
    }
}
