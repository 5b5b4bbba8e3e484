using System.Buffers;
using LightsOn.DeviceSim.Connection;
using LightsOn.DeviceSim.Credentials;
using LightsOn.Rules;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.DeviceSim.Run;

/// <summary>
/// Many MQTT client connections to the gateway's broker, as a fleet of devices would open:
/// anonymous ones shared by the households, or with device secrets one per device, each
/// connected as its device (the broker lets a device publish on its own topics only).
/// </summary>
internal sealed class MqttSink : IMessageSink, IAsyncDisposable
{
    // Connecting with a secret costs the broker a deliberately slow hash: a few at a time.
    private const int ConcurrentDeviceConnects = 8;

    private readonly IMqttClient[] _clients;
    private readonly MqttQualityOfServiceLevel _qos;
    private readonly int[][]? _deviceConnections;
    private long _failed;

    private MqttSink(IMqttClient[] clients, MqttQualityOfServiceLevel qos, int[][]? deviceConnections = null)
    {
        _clients = clients;
        _qos = qos;
        _deviceConnections = deviceConnections;
    }

    public int Connections => _clients.Length;

    /// <summary>QoS 1 publishes the broker did not accept.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public int ConnectionOf(int household, int device) =>
        _deviceConnections is null ? household % _clients.Length : _deviceConnections[household][device];

    /// <summary><paramref name="connections"/> anonymous connections, the households spread over them.</summary>
    public static async Task<MqttSink> ConnectAsync(BrokerTarget target, int connections, int qos, CancellationToken cancellationToken)
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
                var options = target.Configure(new MqttClientOptionsBuilder())
                    .WithClientId($"lightson-sim-{run}-{i:D3}")
                    .WithCleanSession()
                    .Build();
                await clients[i].ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            Dispose(clients);
            throw;
        }
        return new MqttSink(clients, Qos(qos));
    }

    /// <summary>One connection per device of <paramref name="households"/>, each with the device's secret.</summary>
    /// <exception cref="InvalidOperationException">A device has no secret in <paramref name="secrets"/>, or the broker refused one.</exception>
    public static async Task<MqttSink> ConnectDevicesAsync(
        BrokerTarget target, IReadOnlyList<Household> households, DeviceSecrets secrets, int qos, CancellationToken cancellationToken)
    {
        var devices = new List<(string UserName, string Secret, string ClientId)>();
        var deviceConnections = new int[households.Count][];
        string run = Guid.NewGuid().ToString("N")[..8];
        for (int h = 0; h < households.Count; h++)
        {
            var household = households[h];
            deviceConnections[h] = new int[household.Devices.Count];
            for (int d = 0; d < household.Devices.Count; d++)
            {
                if (!secrets.TryGet(household.Id, household.Devices[d].Id, out string userName, out string secret))
                {
                    throw new InvalidOperationException($"the secrets file has no secret for device {userName}");
                }
                deviceConnections[h][d] = devices.Count;
                devices.Add((userName, secret, $"lightson-sim-{run}-{household.Id}-{household.Devices[d].Id}"));
            }
        }
        var factory = new MqttClientFactory();
        var clients = new IMqttClient[devices.Count];
        try
        {
            await Parallel.ForAsync(0, devices.Count, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentDeviceConnects, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var (userName, secret, clientId) = devices[i];
                    var client = clients[i] = factory.CreateMqttClient();
                    var options = target.Configure(new MqttClientOptionsBuilder())
                        .WithClientId(clientId)
                        .WithCredentials(userName, secret)
                        .WithCleanSession()
                        .Build();
                    var result = await client.ConnectAsync(options, token).ConfigureAwait(false);
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        throw new InvalidOperationException($"the broker refused device {userName}: {result.ResultCode}");
                    }
                }).ConfigureAwait(false);
        }
        catch
        {
            Dispose(clients);
            throw;
        }
        return new MqttSink(clients, Qos(qos), deviceConnections);
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

    private static MqttQualityOfServiceLevel Qos(int qos) => qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;

    private static void Dispose(IMqttClient?[] clients)
    {
        foreach (var client in clients)
        {
            client?.Dispose();
        }
    }
}
