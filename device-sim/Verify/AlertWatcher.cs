using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace LightsOn.DeviceSim.Verify;

/// <summary>Collects the gateway's alert events from <c>{root}/alerts/#</c> while a run goes on.</summary>
internal sealed class AlertWatcher : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<AlertEvent> _events = new();

    private AlertWatcher(IMqttClient client) => _client = client;

    public IReadOnlyList<AlertEvent> Events => [.. _events];

    public static async Task<AlertWatcher> ConnectAsync(string host, int port, string root, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var watcher = new AlertWatcher(client);
        client.ApplicationMessageReceivedAsync += args =>
        {
            var payload = args.ApplicationMessage.Payload;
            if (AlertEvent.TryParse(payload.IsSingleSegment ? payload.FirstSpan : System.Buffers.BuffersExtensions.ToArray(payload)) is { } alert)
            {
                watcher._events.Enqueue(alert);
            }
            return Task.CompletedTask;
        };
        try
        {
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithClientId($"lightson-sim-verify-{Guid.NewGuid().ToString("N")[..8]}")
                .WithCleanSession()
                .Build();
            await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            await client.SubscribeAsync($"{root}/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return watcher;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync().ConfigureAwait(false);
        }
        _client.Dispose();
    }
}
