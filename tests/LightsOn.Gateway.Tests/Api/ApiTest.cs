namespace LightsOn.Gateway.Tests.Api;

/// <summary>
/// The API tests' world: the real gateway with the demo registry (signed in as admin on
/// <see cref="TestGateway.Http"/>) and a device connection to its embedded broker.
/// </summary>
public abstract class ApiTest : IAsyncLifetime
{
    internal TestGateway Gateway { get; private set; } = null!;

    internal MQTTnet.IMqttClient Device { get; private set; } = null!;

    /// <summary>Where the gateway's fake clock starts.</summary>
    protected virtual DateTimeOffset Start => TestGateway.StartTime;

    public async Task InitializeAsync()
    {
        Gateway = await TestGateway.StartAtAsync(Start);
        Device = await Fixtures.TestMqtt.ConnectAsync(Gateway.MqttPort, "device");
    }

    public async Task DisposeAsync()
    {
        Device.Dispose();
        await Gateway.DisposeAsync();
    }
}
