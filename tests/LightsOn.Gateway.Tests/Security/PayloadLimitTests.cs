using System.Collections.Concurrent;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;
using MQTTnet;
using MQTTnet.Protocol;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Security;

/// <summary><c>Ingest:MaxPayloadBytes</c> over real MQTT: a payload one byte over is refused before it is read, one at the limit is stored.</summary>
public sealed class PayloadLimitTests(InfluxDbServer influx) : IClassFixture<InfluxDbServer>
{
    [Fact]
    public async Task A_payload_over_the_configured_size_is_dead_lettered_as_too_large_and_one_at_the_limit_is_stored()
    {
        const int Limit = 64;
        string database = $"payload{Guid.NewGuid():N}";
        await using var gateway = await TestGateway.StartAsync(
            $"--Influx:Url={influx.Url}", $"--Influx:Database={database}", $"--Ingest:MaxPayloadBytes={Limit}");
        var deadLetters = new ConcurrentQueue<(string Topic, JsonElement Body)>();
        using var watcher = await ConnectAsync(gateway.MqttPort, "dead-letter-watcher");
        watcher.ApplicationMessageReceivedAsync += args =>
        {
            deadLetters.Enqueue((args.ApplicationMessage.Topic, JsonDocument.Parse(args.ApplicationMessage.ConvertPayloadToString()).RootElement.Clone()));
            return Task.CompletedTask;
        };
        await watcher.SubscribeAsync("lightson/$dead/#", MqttQualityOfServiceLevel.AtLeastOnce);
        using var device = await ConnectAsync(gateway.MqttPort, "h0001-d1");
        // Not even JSON past the limit: the size is checked before the payload is parsed.
        string over = "{\"open\":true,\"pad\":\"" + new string('x', Limit) + "";
        string atLimit = "{\"open\":true,\"seq\":1,\"pad\":\"" + new string('x', Limit - 30) + "\"}";
        Assert.Equal(Limit + 20, over.Length);
        Assert.Equal(Limit, atLimit.Length);

        await PublishAsync(device, "lightson/hp-nanshi/h0001/door/d1", over);
        await PublishAsync(device, "lightson/hp-nanshi/h0001/door/d1", atLimit);

        await WaitUntilAsync(() => !deadLetters.IsEmpty);
        var (topic, body) = Assert.Single(deadLetters);
        Assert.Equal("lightson/$dead/too-large", topic);
        Assert.Equal($"payload larger than {Limit} bytes", body.GetProperty("detail").GetString());
        await WaitUntilAsync(async () => await CountOrZeroAsync(database) == 1);
    }

    private async Task<long> CountOrZeroAsync(string database)
    {
        try
        {
            return await influx.CountAsync("telemetry", database);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }
}
