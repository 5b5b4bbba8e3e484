using System.Collections.Concurrent;
using System.Text;
using LightsOn.DeviceSim.Run;

namespace LightsOn.DeviceSim.Tests.Run;

/// <summary>Records what a <see cref="Publisher"/> sends, in place of MQTT connections.</summary>
internal sealed class RecordingSink(int connections) : IMessageSink
{
    private readonly ConcurrentQueue<(int Connection, string Topic, string Payload)> _sent = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public int Connections => connections;

    public IReadOnlyList<(int Connection, string Topic, string Payload)> Sent => [.. _sent];

    public ValueTask PublishAsync(int connection, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _sent.Enqueue((connection, topic, Encoding.UTF8.GetString(payload.Span)));
        _arrived.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until <paramref name="count"/> more messages have arrived; the timeout only guards a broken test.</summary>
    public async Task WaitForAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(10)), "the publisher did not send in time");
        }
    }
}
