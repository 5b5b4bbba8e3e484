namespace LightsOn.Benchmarks.EndToEnd.NodeRed;

/// <summary>
/// PLACEHOLDER for the Node-RED peer, which is built separately (NodeRedPeer.cs in this folder):
/// the same API, so the runner's node-red variant compiles and reports "not measured" until the
/// real class replaces this file. Delete this file when NodeRedPeer.cs lands.
/// </summary>
internal sealed class NodeRedPeer : IAsyncDisposable
{
    private NodeRedPeer()
    {
    }

    public int ProcessId => throw new NotImplementedException();

    /// <summary>Would install Node-RED if needed, write the flow mqtt in (<c>lightson/#</c>, QoS 1) → influxdb out, start it and wait until it is subscribed.</summary>
    public static Task<NodeRedPeer> StartAsync(string workDir, int mqttPort, string influxUrl, string database, CancellationToken ct) =>
        throw new NotImplementedException("the Node-RED peer (EndToEnd/NodeRed/NodeRedPeer.cs) is not on this branch yet");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
