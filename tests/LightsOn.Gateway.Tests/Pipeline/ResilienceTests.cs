using System.Diagnostics;
using System.Globalization;
using LightsOn.Gateway.Tests.Fixtures;
using Xunit.Abstractions;

namespace LightsOn.Gateway.Tests.Pipeline;

/// <summary>
/// Nothing lost when a part goes down mid-stream: the gateway process itself (killed, with
/// Mosquitto holding its persistent session) and InfluxDB (stopped, with the spool taking the
/// batches). Real influxd, real Mosquitto, a real gateway process.
/// </summary>
public sealed class ResilienceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Households = 30;
    private const int Clients = 3;
    private const int Messages = 6_000;
    private static readonly TimeSpan StoreDeadline = TimeSpan.FromSeconds(40);

    private readonly InfluxDbServer _influx = new();
    private string _folder = "";
    private string _registryPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-resilience-").FullName;
        _registryPath = Path.Combine(_folder, "registry.json");
        await File.WriteAllTextAsync(_registryPath, TelemetryStream.RegistryJson(Households));
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Gateway_process_killed_mid_stream_and_restarted_on_its_persistent_session_stores_every_point_once()
    {
        var clock = Stopwatch.StartNew();
        await using var mosquitto = await MosquittoServer.StartNewAsync();
        string[] settings =
        [
            "--Mqtt:Mode=external",
            "--Mqtt:Host=127.0.0.1",
            $"--Mqtt:Port={mosquitto.Port}",
            // The same id in both lives: Mosquitto keeps the session, its subscription and
            // every message not yet acknowledged, for the second life.
            $"--Mqtt:ClientId=gateway-{Guid.NewGuid():N}",
            $"--Influx:Url={_influx.Url}",
            $"--Spool:Path={Path.Combine(_folder, "spool")}",
            $"--Auth:TokensPath={Path.Combine(_folder, "tokens.json")}",
            $"--Auth:BootstrapAdminToken={TestGateway.AdminToken}",
            $"--Registry:Path={_registryPath}",
            // The stream is many devices' traffic pressed into seconds: no per-device rate here.
            "--Ingest:DeviceRatePerSecond=0",
        ];
        // The separate process runs on the wall clock: device times ten minutes old are neither
        // too old nor in the future, so no ts is replaced and each point keeps its own time.
        long firstTs = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        await using var stream = new TelemetryStream(mosquitto.Port, Clients, Households, Messages, firstTs);

        await using var first = await GatewayProcess.StartAsync("gateway 1", settings);
        GatewayProcess? second = null;
        try
        {
            // /readyz says connected; the subscription is in place once this line is written.
            await first.WaitForOutputAsync("Connected to broker", TimeSpan.FromSeconds(10));
            stream.Start();

            await stream.FirstThird.WaitAsync(StoreDeadline);
            // Kill once the first life has stored some points, so it dies with points stored
            // and acknowledged, points in flight and messages unacknowledged.
            await EventuallyAsync(async () => await CountOrZeroAsync() > 0, "gateway 1 stores points", () => first.Output);
            long storedBeforeKill = await CountOrZeroAsync();
            int publishedBeforeKill = stream.Acknowledged;
            await first.KillAsync();

            // The clients go on: Mosquitto acknowledges and queues for the dead gateway's session.
            await stream.TwoThirds.WaitAsync(StoreDeadline);
            Assert.True(first.HasExited, Outputs());
            long storedAtPause = await CountOrZeroAsync();

            second = await GatewayProcess.StartAsync("gateway 2", settings);
            await second.WaitForOutputAsync("session resumed: True", TimeSpan.FromSeconds(10));
            stream.Resume();
            await stream.Completion.WaitAsync(StoreDeadline);

            await EventuallyAsync(async () => await CountOrZeroAsync() >= Messages, $"{Messages} points", Outputs);
            output.WriteLine($"stored before the kill: {storedBeforeKill} of {publishedBeforeKill} published; " +
                $"in InfluxDB with the gateway down and {Messages * 2 / 3} published: {storedAtPause}; all {Messages} after {clock.Elapsed.TotalSeconds:F1} s");
            await AssertEveryPointOnceAsync(Outputs);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{Outputs()}", e);
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }

        string Outputs() =>
            $"--- gateway 1 ---\n{first.Output}\n--- gateway 2 ---\n{second?.Output}\n--- mosquitto ---\n{MosquittoLog(mosquitto)}";
    }

    [Fact]
    public async Task InfluxDB_stopped_mid_stream_and_started_again_every_point_is_stored_once_through_the_spool()
    {
        var clock = Stopwatch.StartNew();
        int mqttPort = FreePort.Next();
        await using var gateway = await TestGateway.StartAsync(
            $"--Mqtt:Port={mqttPort}",
            $"--Influx:Url={_influx.Url}",
            $"--Registry:Path={_registryPath}",
            // The stream is many devices' traffic pressed into seconds: no per-device rate here.
            "--Ingest:DeviceRatePerSecond=0");
        // The gateway's rules clock is TestGateway's fake one: device times are ten minutes before it.
        long firstTs = TestGateway.StartTime.AddMinutes(-10).ToUnixTimeMilliseconds();
        await using var stream = new TelemetryStream(mqttPort, Clients, Households, Messages, firstTs);
        string Logs() => string.Join("\n", gateway.Logs.Entries);

        stream.Start();
        await stream.FirstThird.WaitAsync(StoreDeadline);
        await _influx.StopAsync();

        // Every publish of the second third is acknowledged while InfluxDB is down: the embedded
        // broker sends a PUBACK only once the point is durable, so these are in the spool.
        await stream.TwoThirds.WaitAsync(StoreDeadline);
        long spooled = await MetricAsync(gateway.Http, "lightson_influx_batches_spooled_total");
        Assert.True(spooled > 0, $"No batch was spooled while InfluxDB was down.\n{Logs()}");

        await _influx.StartAsync();
        stream.Resume();
        await stream.Completion.WaitAsync(StoreDeadline);

        await EventuallyAsync(
            async () => await MetricAsync(gateway.Http, "lightson_spool_batches") == 0 && await CountOrZeroAsync() >= Messages,
            $"the spool drained and {Messages} points", Logs);
        long spooledInAll = await MetricAsync(gateway.Http, "lightson_influx_batches_spooled_total");
        long replayed = await MetricAsync(gateway.Http, "lightson_influx_batches_replayed_total");
        output.WriteLine($"{spooled} batches spooled while InfluxDB was down, {spooledInAll} in all (behind those), " +
            $"{replayed} replayed; all {Messages} after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, await MetricAsync(gateway.Http, "lightson_spool_batches"));
        Assert.Equal(spooledInAll, replayed);
        await AssertEveryPointOnceAsync(Logs);
    }

    /// <summary>
    /// Exactly <see cref="Messages"/> points, each household holding its own seq 1..n once. A
    /// redelivered message repeats its (device, ts), so InfluxDB overwrites its point; a count
    /// above the stream's would be a point stored under another time.
    /// </summary>
    private async Task AssertEveryPointOnceAsync(Func<string> context)
    {
        Assert.True(Messages == await _influx.CountAsync("telemetry"), $"Expected {Messages} telemetry points, found {await _influx.CountAsync("telemetry")}.\n{context()}");
        var result = await _influx.QueryAsync("SELECT COUNT(seq), SUM(seq), COUNT(clockSkew) FROM telemetry GROUP BY household");
        var series = result.GetProperty("series").EnumerateArray().ToList();
        Assert.True(Households == series.Count, $"{series.Count} households hold points, expected {Households}.\n{context()}");
        long perHousehold = Messages / Households;
        foreach (var one in series)
        {
            string household = one.GetProperty("tags").GetProperty("household").GetString()!;
            var row = one.GetProperty("values")[0];
            Assert.True(perHousehold == row[1].GetInt64(), $"{household}: {row[1]} points, expected {perHousehold}.\n{context()}");
            Assert.True(perHousehold * (perHousehold + 1) / 2 == row[2].GetInt64(), $"{household}: seq sum {row[2]}, expected seq 1..{perHousehold} once each.\n{context()}");
            Assert.True(row[3].ValueKind == System.Text.Json.JsonValueKind.Null || row[3].GetInt64() == 0, $"{household}: a device time was replaced.\n{context()}");
        }
    }

    /// <summary>0 until the gateway has created the database.</summary>
    private async Task<long> CountOrZeroAsync()
    {
        try
        {
            return await _influx.CountAsync("telemetry");
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static async Task<long> MetricAsync(HttpClient http, string name)
    {
        string text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return (long)double.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/metrics has no {name}:\n{text}");
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, Func<string> context)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < StoreDeadline, $"Timed out after {StoreDeadline.TotalSeconds} s waiting for {what}.\n{context()}");
            await Task.Delay(100);
        }
    }

    private static string MosquittoLog(MosquittoServer mosquitto) =>
        File.Exists(mosquitto.LogPath) ? File.ReadAllText(mosquitto.LogPath) : "(no log)";
}
