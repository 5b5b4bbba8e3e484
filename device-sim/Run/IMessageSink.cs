namespace LightsOn.DeviceSim.Run;

/// <summary>Where the <see cref="Publisher"/> sends: MQTT connections, or a recorder in tests.</summary>
internal interface IMessageSink
{
    int Connections { get; }

    /// <summary>Sends on one connection; calls for one connection are never concurrent.</summary>
    ValueTask PublishAsync(int connection, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
