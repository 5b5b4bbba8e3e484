using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Gateway.Tests.Spool;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// The credentials file reloaded while the gateway runs, with real MQTT clients: devices added,
/// given a new secret or taken out take effect without a restart, and a file that does not
/// load leaves the credentials in force. The tests wait for the reload's log line.
/// </summary>
public sealed class CredentialsReloadTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public CredentialsReloadTests() => _path = Path.Combine(_folder.Path, "devices.json");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_changed_file_lets_new_devices_in_and_closes_the_connections_of_withdrawn_or_replaced_secrets()
    {
        await WriteAsync(("h0001", "l1", "l1-old"), ("h0002", "b1", "b1-secret"), ("h0004", "d1", "d1-secret"));
        await using var gateway = await TestGateway.StartAsync($"--Mqtt:CredentialsPath={_path}");
        using var replaced = await ConnectAsync(gateway, "h0001/l1", "l1-old");
        using var withdrawn = await ConnectAsync(gateway, "h0002/b1", "b1-secret");
        using var unchanged = await ConnectAsync(gateway, "h0004/d1", "d1-secret");

        await WriteAsync(("h0001", "l1", "l1-new"), ("h0003", "d1", "d1-new-device"), ("h0004", "d1", "d1-secret"));
        await TestMqtt.WaitUntilAsync(() => gateway.Logs.Entries.Any(e => e.EventId == 2656));

        var reloaded = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2656);
        Assert.Contains("3 devices may connect", reloaded.Message, StringComparison.Ordinal);
        Assert.Contains("2 connections of devices removed or given a new secret closed", reloaded.Message, StringComparison.Ordinal);
        await TestMqtt.WaitUntilAsync(() => !replaced.IsConnected && !withdrawn.IsConnected);
        Assert.True(unchanged.IsConnected);
        using var added = await ConnectAsync(gateway, "h0003/d1", "d1-new-device");
        using var renewed = await ConnectAsync(gateway, "h0001/l1", "l1-new");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(gateway, "h0001/l1", "l1-old"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(gateway, "h0002/b1", "b1-secret"));
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Message.Contains("secret\"", StringComparison.Ordinal) || e.Message.Contains("l1-new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_does_not_load_is_refused_with_a_warning_and_the_credentials_in_force_stay_until_it_is_fixed()
    {
        await WriteAsync(("h0001", "l1", "l1-secret"));
        await using var gateway = await TestGateway.StartAsync($"--Mqtt:CredentialsPath={_path}");
        using var device = await ConnectAsync(gateway, "h0001/l1", "l1-secret");

        await File.WriteAllTextAsync(_path, """{"devices":[{"household":"h0002","device":"b1","hash":"plain"}]}""");
        await TestMqtt.WaitUntilAsync(() => gateway.Logs.Entries.Any(e => e.EventId == 2657));

        var refused = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2657);
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Contains("the 1 devices loaded before stay in force", refused.Message, StringComparison.Ordinal);
        Assert.Contains("devices[0] (h0002/b1): hash", refused.Message, StringComparison.Ordinal);
        Assert.True(device.IsConnected);
        using var again = await ConnectAsync(gateway, "h0001/l1", "l1-secret");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(gateway, "h0002/b1", "b1-secret"));

        await WriteAsync(("h0001", "l1", "l1-secret"), ("h0002", "b1", "b1-secret"));
        await TestMqtt.WaitUntilAsync(() => gateway.Logs.Entries.Any(e => e.EventId == 2656));

        using var added = await ConnectAsync(gateway, "h0002/b1", "b1-secret");
        Assert.Contains("0 connections", Assert.Single(gateway.Logs.Entries, e => e.EventId == 2656).Message, StringComparison.Ordinal);
        Assert.True(device.IsConnected);
    }

    private Task WriteAsync(params (string Household, string Device, string Secret)[] devices) => CredentialsFile.WriteAsync(_path, devices);

    private static MqttClientOptions Options(TestGateway gateway, string userName, string secret) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", gateway.MqttPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("dev-" + Guid.NewGuid().ToString("N")[..8])
            .WithCredentials(userName, secret)
            .Build();

    private static async Task<IMqttClient> ConnectAsync(TestGateway gateway, string userName, string secret)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(gateway, userName, secret));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static async Task<MqttClientConnectResultCode> TryConnectAsync(TestGateway gateway, string userName, string secret)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        return (await client.ConnectAsync(Options(gateway, userName, secret))).ResultCode;
    }
}
