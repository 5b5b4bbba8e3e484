using System.Net;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace LightsOn.Gateway.Mqtt;

/// <summary>
/// The in-process MQTTnet broker of <c>Mqtt:Mode=embedded</c> (the default), so the gateway
/// runs with no broker to set up. Device messages are ingested inside MQTTnet's publish
/// interception: MQTTnet sends the PUBACK only after that handler returns, one packet at a
/// time per connection, so a message is acknowledged only once it is durable, with no
/// internal subscriber in between.
/// </summary>
internal sealed class EmbeddedBroker : IMqttPublisher, IAsyncDisposable
{
    /// <summary>The client id the gateway's own publications carry, so interception lets them through.</summary>
    public const string GatewayClientId = "lightson-gateway";

    private readonly MqttServer _server;

    /// <param name="access">Device credentials and topic rules; null lets any client connect and publish.</param>
    public EmbeddedBroker(MqttOptions options, Func<InterceptingPublishEventArgs, Task> ingest, DeviceAccess? access = null)
    {
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(options.BindAddress))
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(options.Port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        // The gateway's own client id marks its publications; no device may take it.
        _server.ValidatingConnectionAsync += args =>
        {
            if (args.ClientId == GatewayClientId)
            {
                args.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            }
            return access?.ValidateConnectionAsync(args) ?? Task.CompletedTask;
        };
        _server.InterceptingPublishAsync += args =>
            args.ClientId == GatewayClientId || access?.MayPublish(args) == false ? Task.CompletedTask : ingest(args);
        if (access is not null)
        {
            _server.InterceptingSubscriptionAsync += access.InterceptSubscriptionAsync;
            _server.ClientDisconnectedAsync += access.ClientDisconnectedAsync;
        }
    }

    public bool IsStarted => _server.IsStarted;

    public Task StartAsync() => _server.StartAsync();

    public Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = GatewayClientId }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server.IsStarted)
        {
            await _server.StopAsync(new MqttServerStopOptionsBuilder().Build()).ConfigureAwait(false);
        }
        _server.Dispose();
    }
}
