using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;
using MQTTnet;
using MQTTnet.Protocol;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Pipeline;

/// <summary>
/// The whole ingest path with real parts: MQTT clients publish to the gateway's embedded
/// broker (or to a real Mosquitto the gateway subscribes to), a real influxd stores the points,
/// and the test counts them back.
/// </summary>
public sealed class IngestEndToEndTests : IAsyncLifetime
{
    private const int Households = 40;
    private readonly InfluxDbServer _influx = new();
    private string _folder = "";
    private string _registryPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-ingest-").FullName;
        _registryPath = Path.Combine(_folder, "registry.json");
        await File.WriteAllTextAsync(_registryPath, TestRegistryJson(Households));
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Ten_thousand_messages_from_several_clients_are_ten_thousand_points_in_influxdb()
    {
        int mqttPort = FreePort.Next();
        await using var gateway = await StartGatewayAsync($"--Mqtt:Port={mqttPort}");

        await PublishTrafficAsync(mqttPort, clients: 5, messages: 10_000);

        Assert.Equal(10_000, await WaitForCountAsync(10_000));
    }

    [Fact]
    public async Task Through_an_external_mosquitto_every_message_is_stored_once()
    {
        await using var mosquitto = await MosquittoServer.StartNewAsync();
        await using var gateway = await StartGatewayAsync(
            "--Mqtt:Mode=external", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={mosquitto.Port}", $"--Mqtt:ClientId=gw-{Guid.NewGuid():N}");
        await WaitUntilAsync(async () => (await gateway.Http.GetAsync("/readyz")).IsSuccessStatusCode);

        await PublishTrafficAsync(mosquitto.Port, clients: 4, messages: 10_000);

        Assert.Equal(10_000, await WaitForCountAsync(10_000));
    }

    [Fact]
    public async Task An_sos_over_mqtt_is_an_alert_event_on_the_alerts_topic()
    {
        int mqttPort = FreePort.Next();
        await using var gateway = await StartGatewayAsync($"--Mqtt:Port={mqttPort}");
        var events = new ConcurrentQueue<JsonElement>();
        using var watcher = await ConnectAsync(mqttPort, "operator");
        watcher.ApplicationMessageReceivedAsync += args =>
        {
            events.Enqueue(JsonDocument.Parse(args.ApplicationMessage.ConvertPayloadToString()).RootElement.Clone());
            return Task.CompletedTask;
        };
        await watcher.SubscribeAsync("lightson/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);
        using var device = await ConnectAsync(mqttPort, "h0003-b1");

        await PublishAsync(device, "lightson/c1/h0003/sos/b1", $"{{\"ts\":{Ms(gateway.Time.GetUtcNow())},\"seq\":1}}");

        await WaitUntilAsync(() => Task.FromResult(!events.IsEmpty));
        var alert = events.Single();
        Assert.Equal("sos", alert.GetProperty("kind").GetString());
        Assert.Equal("h0003", alert.GetProperty("household").GetString());
        Assert.Equal("c1", alert.GetProperty("community").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("open", alert.GetProperty("state").GetString());
        Assert.Equal("grid", alert.GetProperty("level").GetString());
        Assert.Equal("b1", alert.GetProperty("device").GetString());
        Assert.Equal(1, await WaitForCountAsync(1, "alert"));
    }

    [Fact]
    public async Task Bad_messages_go_to_the_dead_letter_topic_with_their_reason_and_every_good_one_is_stored()
    {
        int mqttPort = FreePort.Next();
        await using var gateway = await StartGatewayAsync($"--Mqtt:Port={mqttPort}");
        var deadLetters = new ConcurrentQueue<(string Topic, JsonElement Body)>();
        using var watcher = await ConnectAsync(mqttPort, "dead-letter-watcher");
        watcher.ApplicationMessageReceivedAsync += args =>
        {
            deadLetters.Enqueue((args.ApplicationMessage.Topic, JsonDocument.Parse(args.ApplicationMessage.ConvertPayloadToString()).RootElement.Clone()));
            return Task.CompletedTask;
        };
        await watcher.SubscribeAsync("lightson/$dead/#", MqttQualityOfServiceLevel.AtLeastOnce);
        using var device = await ConnectAsync(mqttPort, "mixed");
        long now = Ms(gateway.Time.GetUtcNow());

        var bad = new (string Topic, string Payload, string Reason)[]
        {
            ("lightson/c1/h0001/door/d1", "{\"open\":tru", "invalid-json"),
            ("lightson/c1/h0001/door/d1", "{\"open\":\"yes\"}", "wrong-type"),
            ("lightson/c1/h0001/door/d1", "{\"open\":true,\"pad\":\"" + new string('x', 5000) + "\"}", "too-large"),
            ("lightson/c1/h0001/toaster/d1", "{}", "unknown-kind"),
            ("other/c1/h0001/door/d1", "{\"open\":true}", "bad-topic"),
            ("lightson/c1/h9999/door/d1", "{\"open\":true}", "unknown-household"),
            ("lightson/c2/h0001/door/d1", "{\"open\":true}", "wrong-community"),
            ("lightson/c1/h0001/door/zz", "{\"open\":true}", "unknown-device"),
            ("lightson/c1/h0001/light/d1", "{\"on\":true}", "wrong-kind"),
            ("lightson/c1/h0001/status/d1", "{\"battery\":140}", "out-of-range"),
            ("lightson/c1/h0001/door/d1", "{\"ts\":1}", "missing-field"),
        };
        int good = 0;
        for (int i = 0; i < bad.Length; i++)
        {
            await PublishAsync(device, bad[i].Topic, bad[i].Payload);
            await PublishAsync(device, "lightson/c1/h0002/motion/m1", $"{{\"ts\":{now - 1000 + i},\"seq\":{i + 1},\"motion\":true}}");
            good++;
        }
        // A duplicate (same seq) is dropped, not dead-lettered; a future ts is kept but flagged.
        await PublishAsync(device, "lightson/c1/h0002/motion/m1", $"{{\"ts\":{now - 1000},\"seq\":1,\"motion\":true}}");
        await PublishAsync(device, "lightson/c1/h0002/status/m1", $"{{\"ts\":{now + 3_600_000},\"seq\":100,\"battery\":80}}");
        good++;

        await WaitUntilAsync(() => Task.FromResult(deadLetters.Count >= bad.Length));
        Assert.Equal(bad.Select(b => "lightson/$dead/" + b.Reason), deadLetters.Select(d => d.Topic));
        Assert.All(deadLetters.Zip(bad), pair => Assert.Equal(pair.Second.Reason, pair.First.Body.GetProperty("reason").GetString()));
        Assert.Equal(good, await WaitForCountAsync(good));
        var skewed = await _influx.QueryAsync("SELECT count(\"clockSkew\") FROM telemetry");
        Assert.Contains("1", skewed.ToString(), StringComparison.Ordinal);
    }

    private Task<TestGateway> StartGatewayAsync(params string[] settings) =>
        TestGateway.StartAsync([
            $"--Registry:Path={_registryPath}",
            $"--Influx:Url={_influx.Url}",
            $"--Spool:Path={Path.Combine(_folder, "spool")}",
            // The load tests press many devices' traffic into seconds: no per-device rate here
            // (tests/…/Security/FloodTests.cs is where the rate is tested end to end).
            "--Ingest:DeviceRatePerSecond=0",
            .. settings]);

    private static async Task PublishTrafficAsync(int port, int clients, int messages)
    {
        long start = Ms(TestGateway.StartTime);
        int perClient = messages / clients;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            using var client = await ConnectAsync(port, $"load-{c}");
            for (int i = 0; i < perClient; i++)
            {
                // Each (device, time) is its own point: distinct timestamps per device.
                int n = c * perClient + i;
                string household = $"h{n % Households:D4}";
                long ts = start - 600_000 + n / Households;
                await PublishAsync(client, $"lightson/c1/{household}/motion/m1", $"{{\"ts\":{ts},\"seq\":{n / Households + 1},\"motion\":{(n % 2 == 0 ? "true" : "false")}}}");
            }
        }));
    }

    private async Task<long> WaitForCountAsync(long expected, string measurement = "telemetry")
    {
        await WaitUntilAsync(async () => await _influx.CountOrZeroAsync(measurement) >= expected);
        // Give a stray extra point the chance to show before the count is judged.
        await Task.Delay(300);
        return await _influx.CountAsync(measurement);
    }

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static string TestRegistryJson(int households)
    {
        var list = string.Join(",\n", Enumerable.Range(0, households).Select(i =>
            $$"""{"id":"h{{i:D4}}","community":"c1","grid":"g1","risk":"medium","devices":[{"id":"d1","kind":"door"},{"id":"l1","kind":"light"},{"id":"m1","kind":"motion"},{"id":"b1","kind":"sos"}]}"""));
        return $$"""{"communities":[{"id":"c1"},{"id":"c2"}],"households":[{{list}}]}""";
    }
}
