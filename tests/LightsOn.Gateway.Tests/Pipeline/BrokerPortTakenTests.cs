using System.Net;
using System.Net.Sockets;
using LightsOn.Gateway.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace LightsOn.Gateway.Tests.Pipeline;

public sealed class BrokerPortTakenTests
{
    [Fact]
    public async Task A_taken_mqtt_port_stops_the_start_and_leaves_nothing_running()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var logs = new CapturingLoggerProvider();
        var app = TestGateway.Build(logs, new FakeTimeProvider(TestGateway.StartTime), $"--Mqtt:Port={port}");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        await app.DisposeAsync();

        Assert.Contains("address", error.Message, StringComparison.OrdinalIgnoreCase);
        // Nothing keeps running after a failed start: no shard loop or replay logs on.
        int logged = logs.Entries.Count;
        await Task.Delay(300);
        Assert.Equal(logged, logs.Entries.Count);
    }
}
