namespace LightsOn.Gateway.Mqtt;

/// <summary>Publishes the gateway's own messages (alert events, dead letters) at QoS 1.</summary>
internal interface IMqttPublisher
{
    Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken);
}
