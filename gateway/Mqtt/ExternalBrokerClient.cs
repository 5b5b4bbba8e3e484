using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// <c>Mqtt:Mode=external</c>: an MQTT 5 client of another broker (Mosquitto, EMQX). Persistent
/// session under a stable client id, QoS 1, and manual acknowledgement: a message is
/// acknowledged only after it is durable, so a gateway killed mid-stream gets every
/// unacknowledged message again from the broker. Reconnects with exponential backoff.
/// </summary>
/// <remarks>
/// With <c>Mqtt:SharedGroup</c> the subscription is <c>$share/{group}/…</c>, so several gateways
/// split the load. The ingest handler must return quickly (MQTTnet hands messages over one at
/// a time per client): it decodes and queues, and acknowledges later when storage confirms.
/// </remarks>
internal sealed class ExternalBrokerClient : IMqttPublisher, IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly MqttOptions _options;
    private readonly IMqttClient _client;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _connectLoop;

    // Set once the session has its subscription; readiness waits for it, since a message
    // published between CONNECT and SUBSCRIBE of a new session is queued for nobody.
    private bool _subscribed;

    public ExternalBrokerClient(MqttOptions options, Func<MqttApplicationMessageReceivedEventArgs, Task> ingest, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += args =>
        {
            args.AutoAcknowledge = false;
            return ingest(args);
        };
        _client.DisconnectedAsync += _ =>
        {
            if (!_stopping.IsCancellationRequested && _connectLoop is { IsCompleted: true })
            {
                _connectLoop = Task.Run(ConnectLoopAsync);
            }
            return Task.CompletedTask;
        };
    }

    /// <summary>Connected and subscribed: messages published from now on are queued for the gateway.</summary>
    public bool IsConnected => _client.IsConnected && Volatile.Read(ref _subscribed);

    public string TopicFilter =>
        (string.IsNullOrWhiteSpace(_options.SharedGroup) ? "" : $"$share/{_options.SharedGroup}/") + _options.Root + "/+/+/+/+";

    /// <summary>Starts connecting; the gateway runs (and reports not ready) while the broker is away.</summary>
    public Task StartAsync()
    {
        _connectLoop = Task.Run(ConnectLoopAsync);
        return Task.CompletedTask;
    }

    private async Task ConnectLoopAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!_stopping.IsCancellationRequested && !_client.IsConnected)
        {
            try
            {
                var builder = new MqttClientOptionsBuilder()
                    .WithTcpServer(_options.Host, _options.Port)
                    .WithClientId(_options.ClientId)
                    .WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithCleanStart(false)
                    .WithSessionExpiryInterval(_options.SessionExpirySeconds)
                    .WithReceiveMaximum(_options.ReceiveMaximum)
                    .WithKeepAlivePeriod(TimeSpan.FromSeconds(30));
                if (!string.IsNullOrEmpty(_options.Username))
                {
                    builder.WithCredentials(_options.Username, _options.Password);
                }
                var result = await _client.ConnectAsync(builder.Build(), _stopping.Token).ConfigureAwait(false);
                if (!result.IsSessionPresent)
                {
                    // A new session: subscribe. A resumed one keeps its subscription and queue.
                    await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter(TopicFilter, MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build(), _stopping.Token).ConfigureAwait(false);
                }
                Volatile.Write(ref _subscribed, true);
                _logger.BrokerConnected( _options.Host!, _options.Port, result.IsSessionPresent);
                return;
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                _logger.BrokerConnectFailed( _options.Host!, _options.Port, backoff.TotalMilliseconds, e.Message);
                // Full jitter: many gateways restarting together do not reconnect in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * backoff.TotalMilliseconds), _stopping.Token)
                    .ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_connectLoop is not null)
        {
            await _connectLoop.ConfigureAwait(false);
        }
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).ConfigureAwait(false);
        }
        _client.Dispose();
        _stopping.Dispose();
    }
}
