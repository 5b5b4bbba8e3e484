namespace LightsOn.DeviceSim.Run;

/// <summary>Where the <see cref="Publisher"/> sends: MQTT connections, or a recorder in tests.</summary>
internal interface IMessageSink
{
    int Connections { get; }

    /// <summary>
    /// The connection a device's messages go on: always the same one, so they arrive in order.
    /// Unless a sink says otherwise, a household's devices share one.
    /// </summary>
    int ConnectionOf(int household, int device) => household % Connections;

    /// <summary>Sends on one connection; calls for one connection are never concurrent.</summary>
    ValueTask PublishAsync(int connection, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
