using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.DeviceSim.Run;

/// <summary>Many MQTT client connections to the gateway's broker, as a fleet of devices would open.</summary>
internal sealed class MqttSink : IMessageSink, IAsyncDisposable
{
    private readonly IMqttClient[] _clients;
    private readonly MqttQualityOfServiceLevel _qos;
    private long _failed;

    private MqttSink(IMqttClient[] clients, MqttQualityOfServiceLevel qos)
    {
        _clients = clients;
        _qos = qos;
    }

    public int Connections => _clients.Length;

    /// <summary>QoS 1 publishes the broker did not accept.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public static async Task<MqttSink> ConnectAsync(string host, int port, int connections, int qos, CancellationToken cancellationToken)
    {
        var factory = new MqttClientFactory();
        var clients = new IMqttClient[connections];
        // A run's own suffix: two simulators against one broker must not take over each other's sessions.
        string run = Guid.NewGuid().ToString("N")[..8];
        try
        {
            for (int i = 0; i < connections; i++)
            {
                clients[i] = factory.CreateMqttClient();
                var options = new MqttClientOptionsBuilder()
                    .WithTcpServer(host, port)
                    .WithClientId($"lightson-sim-{run}-{i:D3}")
                    .WithCleanSession()
                    .Build();
                await clients[i].ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
            throw;
        }
        return new MqttSink(clients, qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce);
    }

    public async ValueTask PublishAsync(int connection, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(new ReadOnlySequence<byte>(payload))
            .WithQualityOfServiceLevel(_qos)
            .Build();
        var result = await _clients[connection].PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync().ConfigureAwait(false);
            }
            client.Dispose();
        }
    }
}
