using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;
using MQTTnet;
using MQTTnet.Protocol;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// One device floods the gateway over its own connections, at QoS 0 and QoS 1, as fast as the
/// machine lets it, while other households press SOS: every SOS still raises its alert, and
/// the flood is cut to the device's rate. The real gateway, a real InfluxDB, real MQTT clients.
/// Latency is measured by the flood-latency mode of the benchmarks, not asserted here.
/// </summary>
public sealed class FloodTests : IAsyncLifetime
{
    private const int NormalHouseholds = 20;
    private const double Rate = 10;
    private const int Burst = 50;
    private static readonly TimeSpan FloodTime = TimeSpan.FromSeconds(4);

    private readonly InfluxDbServer _influx = new();
    private string _folder = "";
    private string _registryPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-flood-").FullName;
        _registryPath = Path.Combine(_folder, "registry.json");
        await File.WriteAllTextAsync(_registryPath, RegistryJson(NormalHouseholds + 1));
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_flooding_device_is_cut_to_its_rate_and_every_sos_of_the_other_households_raises_its_alert()
    {
        await using var gateway = await TestGateway.StartAsync(
            $"--Registry:Path={_registryPath}",
            $"--Influx:Url={_influx.Url}",
            $"--Ingest:DeviceRatePerSecond={Rate.ToString(CultureInfo.InvariantCulture)}",
            $"--Ingest:DeviceBurst={Burst}");
        int port = gateway.MqttPort;
        var alerts = new ConcurrentQueue<JsonElement>();
        var deadLetters = new ConcurrentQueue<string>();
        using var watcher = await ConnectAsync(port, "watcher");
        watcher.ApplicationMessageReceivedAsync += args =>
        {
            if (args.ApplicationMessage.Topic.StartsWith("lightson/$dead/", StringComparison.Ordinal))
            {
                deadLetters.Enqueue(args.ApplicationMessage.Topic);
            }
            else
            {
                alerts.Enqueue(JsonDocument.Parse(args.ApplicationMessage.ConvertPayloadToString()).RootElement.Clone());
            }
            return Task.CompletedTask;
        };
        await watcher.SubscribeAsync("lightson/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await watcher.SubscribeAsync("lightson/$dead/#", MqttQualityOfServiceLevel.AtLeastOnce);
        var buttons = new List<IMqttClient>();
        for (int h = 1; h <= NormalHouseholds; h++)
        {
            buttons.Add(await ConnectAsync(port, $"h{h:D4}-b1"));
        }
        using var floodQos0 = await ConnectAsync(port, "h0000-d1-a");
        using var floodQos1 = await ConnectAsync(port, "h0000-d1-b");
        long now = gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();
        long floodSent = 0;
        using var stop = new CancellationTokenSource();
        var elapsed = Stopwatch.StartNew();

        var flood = Task.WhenAll(
            FloodAsync(floodQos0, MqttQualityOfServiceLevel.AtMostOnce),
            FloodAsync(floodQos1, MqttQualityOfServiceLevel.AtLeastOnce));
        // One SOS every 200 ms, each from another household, while the flood runs.
        for (int h = 1; h <= NormalHouseholds; h++)
        {
            await Task.Delay(FloodTime / NormalHouseholds);
            await PublishAsync(buttons[h - 1], $"lightson/c1/h{h:D4}/sos/b1", $$"""{"ts":{{now}},"seq":1}""");
        }
        await stop.CancelAsync();
        await flood;

        // Every SOS raised its alert, flood or not.
        await WaitUntilAsync(() => alerts.Count >= NormalHouseholds);
        Assert.Equal(
            Enumerable.Range(1, NormalHouseholds).Select(h => $"h{h:D4}"),
            alerts.Where(a => a.GetProperty("kind").GetString() == "sos" && a.GetProperty("state").GetString() == "open")
                .Select(a => a.GetProperty("household").GetString()).Order(StringComparer.Ordinal));

        // The flood was cut to the device's rate: what got through is no more than its burst
        // plus its rate over the time the flood ran, and it is all that was stored.
        long sent = Interlocked.Read(ref floodSent);
        await WaitUntilAsync(async () => (await MetricsAsync(gateway))["lightson_messages_received_total"] >= sent + NormalHouseholds);
        double seconds = elapsed.Elapsed.TotalSeconds;
        var metrics = await MetricsAsync(gateway);
        long limited = (long)metrics["lightson_messages_rejected_total{reason=\"rate-limited\"}"];
        long accepted = sent - limited;
        Assert.True(limited > 0, $"{sent} flood messages, none limited");
        Assert.InRange(accepted, 1, (long)(Rate * seconds) + Burst);
        await WaitUntilAsync(async () => await _influx.CountOrZeroAsync() >= accepted + NormalHouseholds);
        Assert.Equal(accepted + NormalHouseholds, await _influx.CountAsync("telemetry"));

        // One log line and one dead letter for the whole flood, not one per message.
        await WaitUntilAsync(() => !deadLetters.IsEmpty);
        Assert.Equal(["lightson/$dead/rate-limited"], deadLetters);
        var line = Assert.Single(gateway.Logs.Entries, e => e.EventId.Id == 2551);
        Assert.Equal("h0000", line.Properties["Household"]);
        Assert.Equal("d1", line.Properties["Device"]);

        foreach (var button in buttons)
        {
            button.Dispose();
        }

        async Task FloodAsync(IMqttClient client, MqttQualityOfServiceLevel qos)
        {
            while (!stop.IsCancellationRequested)
            {
                long n = Interlocked.Increment(ref floodSent);
                await client.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic("lightson/c1/h0000/status/d1")
                    // Each heartbeat its own point: its own seq and time.
                    .WithPayload(Encoding.UTF8.GetBytes($$"""{"ts":{{now - 3_600_000 + n}},"seq":{{n}},"battery":80}"""))
                    .WithQualityOfServiceLevel(qos)
                    .Build());
            }
        }
    }

    private static async Task<Dictionary<string, double>> MetricsAsync(TestGateway gateway)
    {
        string text = await gateway.Http.GetStringAsync("/metrics");
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith('#'))
            {
                int space = line.LastIndexOf(' ');
                samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return samples;
    }

    /// <summary>0 until the gateway has created the database.</summary>

    /// <summary>h0000 floods (its door sends heartbeats); the others each have a door and an SOS button.</summary>
    private static string RegistryJson(int households)
    {
        var list = string.Join(",\n", Enumerable.Range(0, households).Select(i =>
            $$"""{"id":"h{{i:D4}}","community":"c1","grid":"g1","risk":"medium","devices":[{"id":"d1","kind":"door"},{"id":"b1","kind":"sos"}]}"""));
        return $$"""{"communities":[{"id":"c1"}],"households":[{{list}}]}""";
    }
}
