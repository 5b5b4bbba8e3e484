using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Pipeline;

/// <summary>
/// The demo clock end to end: the real gateway started with <c>--Clock:Start</c> and
/// <c>--Clock:Speed</c> (no fake clock), so the rules run on the <see cref="ScaledTimeProvider"/>
/// and a simulated evening passes in seconds of real time.
/// </summary>
public sealed class ScaledClockTests : IAsyncLifetime
{
    // 3600: one real second is one simulated hour, so 15:00 to 20:00 takes five seconds.
    private const int Speed = 3600;

    // Monday 2026-11-23 in Shanghai (UTC+8), the registry's default zone.
    private static readonly DateTimeOffset EveningFrom = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LightsOnBy = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly InfluxDbServer _influx = new();
    private readonly CapturingLoggerProvider _logs = new();
    private string _folder = "";

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("lightson-scaled-clock-").FullName;
        await _influx.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task On_the_scaled_clock_a_household_whose_light_never_came_on_gets_lights_not_on_and_one_whose_light_came_on_does_not()
    {
        int mqttPort = FreePort.Next();
        string registry = Path.Combine(_folder, "registry.json");
        await File.WriteAllTextAsync(registry, RegistryJson);
        var app = GatewayHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--Mqtt:Port={mqttPort}",
            $"--Spool:Path={Path.Combine(_folder, "spool")}",
            $"--Auth:TokensPath={Path.Combine(_folder, "tokens.json")}",
            $"--Auth:BootstrapAdminToken={TestGateway.AdminToken}",
            $"--Registry:Path={registry}",
            $"--Influx:Url={_influx.Url}",
            "--Clock:Start=2026-11-23T15:00",
            $"--Clock:Speed={Speed}"], builder => builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        await using (app)
        {
            await app.StartAsync();
            var clock = Assert.IsType<ScaledTimeProvider>(app.Services.GetRequiredService<GatewayClock>().Time);
            // A fresh engine judges the first evening window that starts after it was built; a
            // start slower than one real second would skip today's window altogether.
            var shardsFrom = (DateTimeOffset)Assert.Single(_logs.Entries, e => e.EventId.Id == 1102).Properties["Now"]!;
            Assert.True(shardsFrom < EveningFrom, $"the rules shards started at {shardsFrom:O}, after the evening window opened");

            var events = new ConcurrentQueue<JsonElement>();
            using var watcher = await ConnectAsync(mqttPort, "operator");
            watcher.ApplicationMessageReceivedAsync += args =>
            {
                events.Enqueue(JsonDocument.Parse(args.ApplicationMessage.ConvertPayloadToString()).RootElement.Clone());
                return Task.CompletedTask;
            };
            await watcher.SubscribeAsync("lightson/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);
            using var device = await ConnectAsync(mqttPort, "devices");

            // No ts: the gateway stamps the receive time, read on its scaled clock.
            await WaitUntilAsync(() => clock.GetUtcNow() >= EveningFrom.AddMinutes(15));
            await PublishAsync(device, "lightson/c1/hA/light/l1", """{"seq":1,"on":true}""");
            var stamped = await StoredTimeOfAsync("hA");
            Assert.InRange(stamped, EveningFrom, LightsOnBy.AddTicks(-1));

            await WaitUntilAsync(() => clock.GetUtcNow() >= LightsOnBy.AddMinutes(30) && events.Any(e => IsLightsNotOn(e, "hB")));
            // Make sure hA's deadline has been judged too, whichever shard holds it, then send an
            // SOS as a barrier: alert events leave through one queue in order, so once the SOS
            // event is here every event raised before it is here as well.
            foreach (var shard in app.Services.GetRequiredService<RulesShards>().Shards)
            {
                shard.Run(0, static (engine, _) => engine.Advance());
            }
            await PublishAsync(device, "lightson/c1/hB/sos/b1", """{"seq":1}""");
            await WaitUntilAsync(() => events.Any(e => e.GetProperty("kind").GetString() == "sos"));

            var forB = events.Where(e => IsLightsNotOn(e, "hB")).ToList();
            var raised = Assert.Single(forB, e => e.GetProperty("change").GetString() == "raised");
            Assert.Single(forB.Select(e => e.GetProperty("id").GetString()).Distinct());
            Assert.Equal("c1", raised.GetProperty("community").GetString());
            Assert.Equal("high", raised.GetProperty("severity").GetString());
            Assert.Equal("open", raised.GetProperty("state").GetString());
            Assert.Equal("family", raised.GetProperty("level").GetString());
            // Raised on the deadline's tick: 20:00 local, give or take the 100 ms (6 simulated
            // minutes) between the shard's looks at its deadlines.
            var raisedAt = DateTimeOffset.Parse(raised.GetProperty("raisedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(raisedAt, LightsOnBy, LightsOnBy.AddMinutes(30));
            Assert.DoesNotContain(events, e => e.GetProperty("household").GetString() == "hA");

            await app.StopAsync();
        }
        var errors = _logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, "The gateway logged errors:\n" + string.Join("\n", errors));
    }

    // Medium risk; the longest heartbeat timeout the registry allows, so no device-offline alert
    // fires during the simulated hours this test runs through.
    private const string RegistryJson = """
        { "communities": [ { "id": "c1" } ],
          "households": [
            { "id": "hA", "community": "c1", "grid": "g1", "risk": "medium", "policy": { "heartbeatMinutes": 10080 },
              "devices": [ { "id": "l1", "kind": "light" }, { "id": "b1", "kind": "sos" } ] },
            { "id": "hB", "community": "c1", "grid": "g1", "risk": "medium", "policy": { "heartbeatMinutes": 10080 },
              "devices": [ { "id": "l1", "kind": "light" }, { "id": "b1", "kind": "sos" } ] } ] }
        """;

    private static bool IsLightsNotOn(JsonElement alert, string household) =>
        alert.GetProperty("kind").GetString() == "lights-not-on" && alert.GetProperty("household").GetString() == household;

    private async Task<DateTimeOffset> StoredTimeOfAsync(string household)
    {
        long ms = 0;
        await WaitUntilAsync(async () =>
        {
            try
            {
                var result = await _influx.QueryAsync($"SELECT \"on\" FROM telemetry WHERE household = '{household}'");
                if (!result.TryGetProperty("series", out var series))
                {
                    return false;
                }
                ms = series[0].GetProperty("values")[0][0].GetInt64();
                return true;
            }
            catch (InvalidOperationException)
            {
                // The database does not exist until the gateway's first write.
                return false;
            }
        });
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
