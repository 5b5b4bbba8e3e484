using System.Net;
using LightsOn.Benchmarks.EndToEnd.Shared;
using MQTTnet.Server;

namespace LightsOn.Benchmarks.EndToEnd.References;

/// <summary>
/// <c>bare-mqttnet</c> mode: MQTTnet's own server, as the gateway's embedded broker configures
/// its endpoint (IPv4 loopback, no IPv6), with no interception and nobody subscribed, so QoS 1
/// publishes are acknowledged and dropped: the reference the gateway's own work is measured
/// against (design.md, Targets). The runner starts it under the gateway's own runtimeconfig.json
/// (GC mode, thread-pool settings), so the difference between the two is the gateway's code.
/// Runs until standard input closes.
/// </summary>
internal static class BareMqttnet
{
    public const string Mode = "bare-mqttnet";

    /// <param name="args"><c>--port P</c>.</param>
    public static async Task<int> RunAsync(string[] args)
    {
        int port = new Arguments(args).Int("--port", 1883);
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build();
        using var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync();
        Console.Out.WriteLine($"listening port={port} server-gc={System.Runtime.GCSettings.IsServerGC}");
        await Console.In.ReadToEndAsync();
        await server.StopAsync(new MqttServerStopOptionsBuilder().Build());
        return 0;
    }
}
