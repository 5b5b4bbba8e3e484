using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LightsOn.Gateway.Tests.Fixtures;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Protocol;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Pipeline;

/// <summary>
/// What operators and their monitoring see: <c>/readyz</c> (broker and InfluxDB state),
/// <c>/metrics</c> (Prometheus text) and a start refused over a bad setting, against a real
/// influxd and the gateway's real broker.
/// </summary>
public sealed partial class OperationsEndpointsTests(InfluxDbServer influx) : IClassFixture<InfluxDbServer>
{
    [Fact]
    public async Task Readyz_in_embedded_mode_is_ready_with_the_broker_up_and_influxdb_up_while_influxd_takes_the_points()
    {
        int mqttPort = FreePort.Next();
        await using var gateway = await StartAsync(influx.Url, $"--Mqtt:Port={mqttPort}");
        using var device = await ConnectAsync(mqttPort);
        await PublishAsync(device, "lightson/hp-nanshi/h0001/door/d1", """{"seq":1,"open":true}""");

        var (status, ready) = await ReadyzAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("up", ready.GetProperty("broker").GetString());
        Assert.Equal("embedded", ready.GetProperty("brokerMode").GetString());
        Assert.Equal("up", ready.GetProperty("influx").GetString());
        Assert.Equal(0, ready.GetProperty("spoolBatches").GetInt64());
    }

    [Fact]
    public async Task Readyz_reports_influxdb_down_and_spooling_when_its_port_is_closed_and_stays_ready()
    {
        int mqttPort = FreePort.Next();
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var gateway = await StartAsync(closed, $"--Mqtt:Port={mqttPort}", "--Influx:RetryBudget=00:00:00.2");
        using var device = await ConnectAsync(mqttPort);

        // Acknowledged once the point is durable: here, in the spool.
        await PublishAsync(device, "lightson/hp-nanshi/h0001/door/d1", """{"seq":1,"open":true}""");
        var (status, ready) = await ReadyzAsync(gateway);

        // The spool takes the points, so the gateway still takes messages.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("up", ready.GetProperty("broker").GetString());
        Assert.Equal("down (spooling)", ready.GetProperty("influx").GetString());
        Assert.Equal(1, ready.GetProperty("spoolBatches").GetInt64());
    }

    [Fact]
    public async Task Readyz_in_external_mode_is_503_naming_the_broker_down_while_the_broker_is_not_reachable()
    {
        int closedPort = FreePort.Next();
        await using var gateway = await StartAsync(influx.Url,
            "--Mqtt:Mode=external", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={closedPort}", $"--Mqtt:ClientId=gw-{Guid.NewGuid():N}");
        // Judged after a connection attempt has failed, not before the first one.
        await WaitUntilAsync(() => gateway.Logs.Entries.Any(e => e.EventId.Id == 1702));

        var (status, ready) = await ReadyzAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not-ready", ready.GetProperty("status").GetString());
        Assert.Equal("down", ready.GetProperty("broker").GetString());
        Assert.Equal("external", ready.GetProperty("brokerMode").GetString());
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_messages_rejections_by_reason_queue_depths_and_influx_histograms()
    {
        int mqttPort = FreePort.Next();
        await using var gateway = await StartAsync(influx.Url, $"--Mqtt:Port={mqttPort}");
        using var device = await ConnectAsync(mqttPort);
        await PublishAsync(device, "lightson/hp-nanshi/h0001/door/d1", """{"seq":1,"open":true}""");
        await PublishAsync(device, "elsewhere/hp-nanshi/h0001/door/d1", """{"seq":2,"open":false}""");

        using var response = await gateway.Http.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();
        var ordered = Samples(text);
        var samples = ordered.ToDictionary(s => s.Series, s => s.Value, StringComparer.Ordinal);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        Assert.Equal(2, samples["lightson_messages_received_total"]);
        Assert.Equal(1, samples["lightson_messages_rejected_total{reason=\"bad-topic\"}"]);
        Assert.All(samples.Where(s => s.Key.StartsWith("lightson_messages_rejected_total{", StringComparison.Ordinal) && !s.Key.Contains("bad-topic", StringComparison.Ordinal)),
            s => Assert.Equal(0, s.Value));
        Assert.Equal(
            Enumerable.Range(0, Environment.ProcessorCount).Select(s => $"lightson_shard_queue_depth{{shard=\"{s}\"}}"),
            samples.Keys.Where(k => k.StartsWith("lightson_shard_queue_depth", StringComparison.Ordinal)));
        Assert.Equal(1, samples["lightson_influx_points_written_total"]);
        Assert.Equal(1, samples["lightson_influx_batch_size_points_count"]);
        Assert.Equal(1, samples["lightson_influx_batch_size_points_sum"]);
        Assert.Equal(1, samples["lightson_influx_batch_size_points_bucket{le=\"+Inf\"}"]);
        Assert.Equal(1, samples["lightson_influx_write_seconds_count"]);
        Assert.Equal(1, samples["lightson_influx_write_seconds_bucket{le=\"+Inf\"}"]);
        Assert.InRange(samples["lightson_influx_write_seconds_sum"], double.Epsilon, 10);
        AssertHistogramIsCumulative(ordered, "lightson_influx_batch_size_points");
        AssertHistogramIsCumulative(ordered, "lightson_influx_write_seconds");
        // Every family is declared before its samples, with the type Prometheus expects.
        Assert.Contains("# TYPE lightson_messages_received_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE lightson_messages_rejected_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE lightson_shard_queue_depth gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE lightson_influx_batch_size_points histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE lightson_influx_write_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE lightson_spool_batches gauge\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Mqtt:Mode=websocket", "Mqtt:Mode must be 'embedded' or 'external', not 'websocket'.")]
    [InlineData("--Mqtt:Port=0", "Mqtt:Port must be a TCP port (1 to 65535), not 0.")]
    [InlineData("--Mqtt:Port=65536", "Mqtt:Port must be a TCP port (1 to 65535), not 65536.")]
    [InlineData("--Influx:Url=localhost:8086", "Influx:Url must be an absolute http:// or https:// address")]
    [InlineData("--Influx:Url=http://127.0.0.1:8086/?db=x", "Influx:Url must be an absolute http:// or https:// address")]
    [InlineData("--Spool:MaxBytes=4095", "Spool:MaxBytes must be at least 4096 bytes")]
    [InlineData("--Ingest:MaxPayloadBytes=0", "Ingest:MaxPayloadBytes must be 1 to 1048576")]
    [InlineData("--Ingest:DeviceRatePerSecond=-1", "Ingest:DeviceRatePerSecond must be 0 (no limit) or a positive number")]
    [InlineData("--Ingest:DeviceBurst=0", "Ingest:DeviceBurst must be at least 1")]
    public async Task A_bad_setting_stops_the_start_with_a_message_naming_its_key(string setting, string message)
    {
        var e = await AssertStartFails<OptionsValidationException>(setting);

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Mqtt:Port=mqtt", "'Mqtt:Port'")]
    [InlineData("--Spool:MaxBytes=1GB", "'Spool:MaxBytes'")]
    public async Task A_setting_that_is_not_a_number_stops_the_start_naming_its_key(string setting, string key)
    {
        var e = await AssertStartFails<InvalidOperationException>(setting);

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    private static void AssertHistogramIsCumulative(List<(string Series, double Value)> samples, string name)
    {
        var buckets = samples.Where(s => s.Series.StartsWith(name + "_bucket{", StringComparison.Ordinal)).ToList();
        Assert.True(buckets.Count > 1, $"{name} has no finite buckets");
        Assert.Equal("le=\"+Inf\"", buckets[^1].Series[(name.Length + "_bucket{".Length)..^1]);
        Assert.Equal(buckets.Select(b => b.Value).Order(), buckets.Select(b => b.Value));
    }

    /// <summary>Every sample line, <c>name{labels}</c> to value, in order; fails on a line that is not the text format.</summary>
    private static List<(string Series, double Value)> Samples(string text)
    {
        var samples = new List<(string Series, double Value)>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            samples.Add((match.Groups["series"].Value, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    [GeneratedRegex("""^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})?) (?<value>[-+]?[0-9][0-9.eE+-]*)$""")]
    private static partial Regex SampleLine();

    private static Task<TestGateway> StartAsync(Uri influxUrl, params string[] settings) =>
        TestGateway.StartAsync([
            $"--Influx:Url={influxUrl}",
            // A database of each test's own: the influxd is shared by the class.
            $"--Influx:Database=ops{Guid.NewGuid():N}",
            .. settings]);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyzAsync(TestGateway gateway)
    {
        using var response = await gateway.Http.GetAsync("/readyz");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    private static async Task<TException> AssertStartFails<TException>(params string[] settings) where TException : Exception
    {
        var logs = new CapturingLoggerProvider();
        await using var app = TestGateway.Build(logs, new FakeTimeProvider(TestGateway.StartTime), settings);

        var e = await Assert.ThrowsAsync<TException>(() => app.StartAsync());

        Assert.DoesNotContain(logs.Entries, l => l.Message.StartsWith("Now listening", StringComparison.Ordinal));
        return e;
    }
}
