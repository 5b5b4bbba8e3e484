namespace LightsOn.Gateway.Mqtt;

/// <summary>What the embedded broker refused from devices, for <c>/metrics</c>. Thread-safe.</summary>
internal sealed class DeviceAccessCounters
{
    private readonly long[] _connectRefused = new long[Enum.GetValues<ConnectRefusal>().Length];
    private long _publishRefused;
    private long _subscribeRefused;

    public long PublishRefused => Interlocked.Read(ref _publishRefused);
    public long SubscribeRefused => Interlocked.Read(ref _subscribeRefused);

    public long ConnectRefused(ConnectRefusal reason) => Interlocked.Read(ref _connectRefused[(int)reason]);

    public void CountConnectRefused(ConnectRefusal reason) => Interlocked.Increment(ref _connectRefused[(int)reason]);
    public void CountPublishRefused() => Interlocked.Increment(ref _publishRefused);
    public void CountSubscribeRefused() => Interlocked.Increment(ref _subscribeRefused);
}
