using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using LightsOn.Gateway.Tests.Fixtures;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

using static LightsOn.Gateway.Tests.Fixtures.TestMqtt;

namespace LightsOn.Gateway.Tests.Broker;

/// <summary>
/// The embedded broker speaks MQTT 3.1, 3.1.1 and 5.0 as clients expect: real MQTTnet clients of
/// each version, and raw sockets for what a well-behaved client library never sends.
/// </summary>
public sealed class EmbeddedBrokerProtocolTests : IAsyncLifetime
{
    private const string Registry = """
        {"communities":[{"id":"c1"}],"households":[
          {"id":"h1","community":"c1","devices":[{"id":"m1","kind":"motion"},{"id":"b1","kind":"sos"}]},
          {"id":"h2","community":"c1","devices":[{"id":"m1","kind":"motion"},{"id":"b1","kind":"sos"}]}]}
        """;

    private readonly InfluxDbServer _influx = new();
    private string _folder = "";
    private TestGateway? _gateway;

    private TestGateway Gateway => _gateway!;

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-broker-").FullName;
        string registry = Path.Combine(_folder, "registry.json");
        await File.WriteAllTextAsync(registry, Registry);
        _gateway = await TestGateway.StartAsync(
            $"--Registry:Path={registry}",
            $"--Influx:Url={_influx.Url}",
            "--Mqtt:MaxPacketBytes=2048",
            "--Ingest:MaxPayloadBytes=1024",
            "--Ingest:DeviceRatePerSecond=0");
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Clients_of_every_version_publish_at_every_qos_and_every_message_is_stored()
    {
        long ts = TestGateway.StartTime.ToUnixTimeMilliseconds() - 60_000;
        int seq = 0;
        foreach (var version in new[] { MqttProtocolVersion.V310, MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            using var client = await ConnectAsync(version);
            foreach (var qos in new[] { MqttQualityOfServiceLevel.AtMostOnce, MqttQualityOfServiceLevel.AtLeastOnce, MqttQualityOfServiceLevel.ExactlyOnce })
            {
                seq++;
                var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic("lightson/c1/h1/motion/m1")
                    .WithPayload($"{{\"ts\":{ts + seq},\"seq\":{seq},\"motion\":true}}")
                    .WithQualityOfServiceLevel(qos)
                    .Build());
                Assert.True(result.IsSuccess, $"{version} QoS {(int)qos}: {result.ReasonCode}");
            }
        }

        await WaitUntilAsync(async () => await _influx.CountOrZeroAsync() == 9);
    }

    [Fact]
    public async Task A_subscriber_gets_alert_events_and_dead_letters_through_wildcard_filters_until_it_unsubscribes()
    {
        using var watcher = await ConnectAsync(MqttProtocolVersion.V500);
        var received = new ConcurrentQueue<string>();
        watcher.ApplicationMessageReceivedAsync += args =>
        {
            received.Enqueue(args.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        var subscribed = await watcher.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("lightson/alerts/+/+", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("lightson/$dead/#", MqttQualityOfServiceLevel.AtMostOnce)
            .WithTopicFilter("$share/group/lightson/alerts/#")
            .Build());
        Assert.Equal(
            [MqttClientSubscribeResultCode.GrantedQoS1, MqttClientSubscribeResultCode.GrantedQoS0, MqttClientSubscribeResultCode.SharedSubscriptionsNotSupported],
            subscribed.Items.Select(i => i.ResultCode));

        using var device = await ConnectAsync(MqttProtocolVersion.V311);
        await PublishAsync(device, "lightson/c1/h1/sos/b1", "{}");
        await PublishAsync(device, "lightson/c1/h1/motion/m1", "{\"motion\":");
        await WaitUntilAsync(() => received.Contains("lightson/alerts/c1/h1") && received.Contains("lightson/$dead/invalid-json"));

        var unsubscribed = await watcher.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder()
            .WithTopicFilter("lightson/alerts/+/+")
            .WithTopicFilter("lightson/never/subscribed")
            .Build());
        Assert.Equal([MqttClientUnsubscribeResultCode.Success, MqttClientUnsubscribeResultCode.NoSubscriptionExisted],
            unsubscribed.Items.Select(i => i.ResultCode));
    }

    [Fact]
    public async Task An_MQTT_5_client_is_told_the_packet_limit_and_a_packet_over_it_closes_the_connection()
    {
        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            var result = await client.ConnectAsync(Options(MqttProtocolVersion.V500).Build());
            Assert.Equal(2048u, result.MaximumPacketSize);
        }

        using var socket = await RawConnectAsync();
        // A PUBLISH announcing 100,000 bytes: refused from its header, before the body arrives.
        await socket.SendAsync(new byte[] { 0x30, 0xA0, 0x8D, 0x06, 0x00, 0x01, (byte)'x' });
        Assert.Equal(0, await ReadUntilClosedAsync(socket));

        // A payload over Ingest:MaxPayloadBytes but inside the packet limit is dead-lettered, and acknowledged.
        using var device = await ConnectAsync(MqttProtocolVersion.V311);
        var tooLarge = await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("lightson/c1/h1/motion/m1").WithPayload(new string(' ', 1500) + "{}")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True(tooLarge.IsSuccess);
    }

    [Fact]
    public async Task A_second_connection_with_the_same_client_id_takes_over_the_first()
    {
        using var first = new MqttClientFactory().CreateMqttClient();
        var firstGone = new TaskCompletionSource<MqttClientDisconnectReason>();
        first.DisconnectedAsync += args =>
        {
            firstGone.TrySetResult(args.Reason);
            return Task.CompletedTask;
        };
        await first.ConnectAsync(Options(MqttProtocolVersion.V500).WithClientId("same-id").Build());

        using var second = new MqttClientFactory().CreateMqttClient();
        await second.ConnectAsync(Options(MqttProtocolVersion.V500).WithClientId("same-id").Build());

        Assert.Equal(MqttClientDisconnectReason.SessionTakenOver, await firstGone.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var published = await second.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("lightson/c1/h2/motion/m1").WithPayload("{\"motion\":true}")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True(published.IsSuccess);
    }

    [Fact]
    public async Task A_client_silent_for_one_and_a_half_keep_alive_periods_is_disconnected()
    {
        // CONNECT, MQTT 3.1.1, clean session, keep alive 1 s, client id "k".
        using var socket = await RawConnectAsync(keepAliveSeconds: 1);
        Assert.Equal(0, await ReadUntilClosedAsync(socket));
    }

    [Fact]
    public async Task An_unsupported_protocol_version_is_answered_so_and_closed()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", Gateway.MqttPort);
        await socket.SendAsync(ConnectPacket(level: 6, keepAliveSeconds: 60));
        var connAck = new byte[4];
        await ReceiveExactlyAsync(socket, connAck);
        // CONNACK, return code 1: unacceptable protocol version [MQTT-3.1.2-2].
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x01 }, connAck);
        Assert.Equal(0, await ReadUntilClosedAsync(socket));
    }

    [Fact]
    public async Task A_packet_before_CONNECT_closes_that_connection_and_the_broker_serves_the_next()
    {
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync("127.0.0.1", Gateway.MqttPort);
            await socket.SendAsync(new byte[] { 0xC0, 0x00 });
            Assert.Equal(0, await ReadUntilClosedAsync(socket));
        }

        using var client = await ConnectAsync(MqttProtocolVersion.V311);
        await PublishAsync(client, "lightson/c1/h2/motion/m1", "{\"motion\":true}");
        await WaitUntilAsync(async () => await _influx.CountOrZeroAsync() == 1);
    }

    private async Task<IMqttClient> ConnectAsync(MqttProtocolVersion version)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(Options(version).Build());
        return client;
    }

    private MqttClientOptionsBuilder Options(MqttProtocolVersion version) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", Gateway.MqttPort)
        .WithProtocolVersion(version)
        .WithClientId($"{version}-{Guid.NewGuid():N}");

    private async Task<Socket> RawConnectAsync(ushort keepAliveSeconds = 60)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", Gateway.MqttPort);
        await socket.SendAsync(ConnectPacket(level: 4, keepAliveSeconds));
        var connAck = new byte[4];
        await ReceiveExactlyAsync(socket, connAck);
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, connAck);
        return socket;
    }

    private static byte[] ConnectPacket(byte level, ushort keepAliveSeconds) =>
        [0x10, 13, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', level, 0x02, (byte)(keepAliveSeconds >> 8), (byte)keepAliveSeconds, 0x00, 0x01, (byte)'k'];

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (int read = 0; read < buffer.Length;)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), timeout.Token);
            Assert.True(n > 0, "the broker closed the connection early");
            read += n;
        }
    }

    /// <summary>Reads until the broker closes the connection; returns the 0 of that last read (30 s at most).</summary>
    private static async Task<int> ReadUntilClosedAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[256];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return 0;
            }
            if (n == 0)
            {
                return 0;
            }
        }
    }
}
