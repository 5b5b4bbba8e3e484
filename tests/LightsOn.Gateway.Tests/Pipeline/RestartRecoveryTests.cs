using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;
using MQTTnet;
using MQTTnet.Protocol;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Pipeline;

/// <summary>
/// A restart rebuilds the rules' state from InfluxDB: a deadline that fell due while the
/// gateway was down fires right after it comes back, and one not yet due does not; every open
/// alert comes back.
/// </summary>
public sealed class RestartRecoveryTests : IAsyncLifetime
{
    private readonly InfluxDbServer _influx = new();
    private string _folder = "";
    private string _registryPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-restart-").FullName;
        _registryPath = Path.Combine(_folder, "registry.json");
        // Heartbeats are out of the picture (a week), so only the activity rules speak.
        await File.WriteAllTextAsync(_registryPath, """
            {"communities":[{"id":"c1"}],"households":[
              {"id":"quiet","community":"c1","risk":"high","policy":{"heartbeatMinutes":10080},
               "devices":[{"id":"m1","kind":"motion"}]},
              {"id":"active","community":"c1","risk":"high","policy":{"heartbeatMinutes":10080},
               "devices":[{"id":"m1","kind":"motion"}]},
              {"id":"sensors","community":"c1","risk":"low","policy":{"heartbeatMinutes":30},
               "devices":[{"id":"m1","kind":"motion"},{"id":"d1","kind":"door"},{"id":"b1","kind":"sos"}]}]}
            """);
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task An_inactivity_deadline_that_expired_while_the_gateway_was_down_fires_right_after_restart()
    {
        // First life, Monday 15:00 Shanghai: "quiet" moves at 14:00, "active" at 14:59.
        var monday = TestGateway.StartTime;
        await using (var first = await StartAsync(monday))
        {
            using var device = await ConnectAsync(first.MqttPort);
            await PublishAsync(device, "lightson/c1/quiet/motion/m1", monday.AddHours(-1), 1);
            await PublishAsync(device, "lightson/c1/active/motion/m1", monday.AddMinutes(-1), 1);
            Assert.Equal(2, await _influx.CountAsync("telemetry"));
        }

        // Down for 11 h 30 min: "quiet" has been still for 12 h 30 min (high risk: 12 h),
        // "active" for 11 h 31 min.
        // The alert is raised at the first tick after the start, possibly before any MQTT
        // subscriber could be there: the API's list of alerts is where to look for it.
        await using var second = await StartAsync(monday.AddHours(11.5));
        List<(string Kind, string Household)> alerts = [];
        await WaitUntilAsync(async () =>
        {
            alerts = [.. (await Api.AlertApiTests.ListAsync(second.Http, "/api/alerts"))
                .Select(a => (a.GetProperty("kind").GetString()!, a.GetProperty("household").GetString()!))];
            return alerts.Any(a => a.Kind == "inactivity");
        });
        var inactivity = Assert.Single(alerts, a => a.Kind == "inactivity");
        Assert.Equal("quiet", inactivity.Household);
        Assert.DoesNotContain(alerts, a => a.Household == "active" && a.Kind == "inactivity");
    }

    [Fact]
    public async Task Alerts_of_one_household_and_kind_raised_at_the_same_tick_are_each_stored_and_each_back_after_a_restart()
    {
        // InfluxDB keeps one point per series and time stamp, and the three sensors of "sensors"
        // go offline at the same tick: three changes in one series.
        var start = TestGateway.StartTime;
        await using (var first = await StartAsync(start))
        {
            first.Time.Advance(TimeSpan.FromMinutes(31));
            await WaitUntilAsync(async () => await _influx.CountOrZeroAsync("alert") >= 3);
            await Task.Delay(300);
            Assert.Equal(3, await _influx.CountAsync("alert"));
        }

        await using var second = await StartAsync(start.AddMinutes(32));
        var alerts = await Api.AlertApiTests.ListAsync(second.Http, "/api/alerts");
        Assert.Equal(["b1", "d1", "m1"], alerts
            .Where(a => a.GetProperty("kind").GetString() == "device-offline" && a.GetProperty("state").GetString() == "open")
            .Select(a => a.GetProperty("device").GetString()).Order(StringComparer.Ordinal));
    }

    private Task<TestGateway> StartAsync(DateTimeOffset start) =>
        TestGateway.StartAtAsync(start,
            $"--Registry:Path={_registryPath}",
            $"--Influx:Url={_influx.Url}",
            $"--Spool:Path={Path.Combine(_folder, "spool")}");

    private static Task PublishAsync(IMqttClient client, string topic, DateTimeOffset ts, long seq) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes($"{{\"ts\":{ts.ToUnixTimeMilliseconds()},\"seq\":{seq},\"motion\":true}}"))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
}
