using System.Collections.Concurrent;
using System.Text;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.Gateway.Tests.Mqtt;

/// <summary>The external-broker client against a real Mosquitto: persistent session, manual acknowledgement.</summary>
public sealed class ExternalBrokerClientTests
{
    [Fact]
    public async Task Messages_published_while_the_gateway_is_away_and_unacknowledged_ones_arrive_after_it_reconnects()
    {
        await using var broker = await MosquittoServer.StartNewAsync();
        var options = new MqttOptions { Mode = MqttOptions.External, Host = "127.0.0.1", Port = broker.Port, ClientId = "gw-test-" + Guid.NewGuid().ToString("N") };

        // First life: receives but never acknowledges, like a gateway killed before its batch was durable.
        var firstLife = new ConcurrentBag<string>();
        var first = new ExternalBrokerClient(options, args =>
        {
            firstLife.Add(args.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        }, NullLogger.Instance);
        await first.StartAsync();
        await WaitUntil(() => first.IsConnected);
        using var device = await ConnectDeviceAsync(broker.Port);
        await PublishAsync(device, 0, 20);
        await WaitUntil(() => firstLife.Count == 20);
        await first.DisposeAsync();

        // Published while no gateway is connected: the broker queues them in the session.
        await PublishAsync(device, 20, 50);

        var secondLife = new ConcurrentDictionary<string, int>();
        var second = new ExternalBrokerClient(options, async args =>
        {
            secondLife.AddOrUpdate(args.ApplicationMessage.ConvertPayloadToString(), 1, (_, n) => n + 1);
            await args.AcknowledgeAsync(CancellationToken.None);
        }, NullLogger.Instance);
        await using (second)
        {
            await second.StartAsync();
            await WaitUntil(() => secondLife.Count == 50);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(Payload).Order(), secondLife.Keys.Order());
    }

    [Fact]
    public async Task A_shared_group_subscribes_through_share()
    {
        var options = new MqttOptions { Mode = MqttOptions.External, Host = "127.0.0.1", SharedGroup = "gateways" };
        await using var client = new ExternalBrokerClient(options, _ => Task.CompletedTask, NullLogger.Instance);
        Assert.Equal("$share/gateways/lightson/+/+/+/+", client.TopicFilter);
    }

    private static string Payload(int i) => $"{{\"seq\":{i}}}";

    private static async Task<IMqttClient> ConnectDeviceAsync(int port)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("device-" + Guid.NewGuid().ToString("N")).Build());
        return client;
    }

    private static async Task PublishAsync(IMqttClient device, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            await device.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic("lightson/c1/h1/door/d1")
                .WithPayload(Encoding.UTF8.GetBytes(Payload(i)))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the condition");
            await Task.Delay(20);
        }
    }
}
