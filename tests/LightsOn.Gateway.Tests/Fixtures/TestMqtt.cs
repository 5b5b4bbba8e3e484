using System.Diagnostics;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.Gateway.Tests.Fixtures;

/// <summary>
/// What the end-to-end tests do over and over: connect an MQTT client to a broker on loopback,
/// publish at QoS 1 (returns when the PUBACK came, that is when the gateway has the message
/// durable), and wait for a condition with a real-time deadline instead of a fixed sleep.
/// </summary>
internal static class TestMqtt
{
    public static async Task<IMqttClient> ConnectAsync(int port, string name = "test")
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(name + "-" + Guid.NewGuid().ToString("N")[..8])
            .Build());
        return client;
    }

    public static Task PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    public static Task WaitUntilAsync(Func<bool> condition, int seconds = 30) =>
        WaitUntilAsync(() => Task.FromResult(condition()), seconds);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(seconds), $"timed out after {seconds} s");
            await Task.Delay(20);
        }
    }
}
