using System.Text;
using System.Text.Json;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Gateway.Tests.Spool;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// Device credentials on the embedded broker, with real MQTT clients: who may connect, on which
/// topics a device may publish, and that a refusal leaves the other households' alerts alone.
/// The gateway runs on the demo registry; the test writes the credentials file.
/// </summary>
public sealed class DeviceAuthTests : IAsyncLifetime
{
    private const string Secret = "h0001-l1-secret";
    private readonly InfluxDbServer _influx = new();
    private readonly TempFolder _folder = new();
    private string _credentialsPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _credentialsPath = Path.Combine(_folder.Path, "devices.json");
        await CredentialsFile.WriteAsync(_credentialsPath, ("h0001", "l1", Secret), ("h0001", "b1", "h0001-b1-secret"), ("h0002", "b1", "h0002-b1-secret"));
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_device_with_its_secret_connects_and_what_it_publishes_is_stored()
    {
        await using var gateway = await StartAsync();

        using var device = await ConnectAsync(gateway, "h0001/l1", Secret);
        var result = await PublishAsync(device, "lightson/hp-nanshi/h0001/light/l1", $"{{\"ts\":{Now(gateway)},\"seq\":1,\"on\":true}}");

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        await TestMqtt.WaitUntilAsync(async () => await _influx.CountOrZeroAsync() == 1);
    }

    [Theory]
    [InlineData("h0001/l1", "wrong secret", "wrong-secret")]
    [InlineData("h0001/l1", "", "wrong-secret")]
    [InlineData(null, null, "no-credentials")]
    [InlineData("h0001/zz", Secret, "unknown-device")]
    [InlineData("h0003/l1", Secret, "unknown-device")]
    public async Task A_wrong_missing_or_unknown_credential_is_refused_and_counted(string? userName, string? secret, string reason)
    {
        await using var gateway = await StartAsync();

        var code = await TryConnectAsync(gateway, userName, secret);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, code);
        string metrics = await gateway.Http.GetStringAsync("/metrics");
        Assert.Contains($"lightson_mqtt_connect_refused_total{{reason=\"{reason}\"}} 1", metrics, StringComparison.Ordinal);
        var refused = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2503);
        Assert.DoesNotContain(secret is { Length: > 0 } ? secret : "\u0000", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_on_another_households_topic_is_refused_counted_and_raises_nothing_while_a_real_sos_still_alerts()
    {
        await using var gateway = await StartAsync();
        using var forger = await ConnectAsync(gateway, "h0001/b1", "h0001-b1-secret");
        using var honest = await ConnectAsync(gateway, "h0002/b1", "h0002-b1-secret");

        var forged = await PublishAsync(forger, "lightson/hp-nanshi/h0003/sos/b1", $"{{\"ts\":{Now(gateway)},\"seq\":1}}");
        var otherCommunity = await PublishAsync(forger, "lightson/hp-penglai/h0001/sos/b1", $"{{\"ts\":{Now(gateway)},\"seq\":2}}");
        var real = await PublishAsync(honest, "lightson/hp-nanshi/h0002/sos/b1", $"{{\"ts\":{Now(gateway)},\"seq\":1}}");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, otherCommunity.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, real.ReasonCode);
        JsonElement alerts = default;
        await TestMqtt.WaitUntilAsync(async () =>
        {
            alerts = JsonDocument.Parse(await gateway.Http.GetStringAsync("/api/alerts")).RootElement;
            return alerts.GetArrayLength() > 0;
        });
        Assert.Equal("h0002", Assert.Single(alerts.EnumerateArray()).GetProperty("household").GetString());
        string metrics = await gateway.Http.GetStringAsync("/metrics");
        Assert.Contains("lightson_mqtt_publish_refused_total{reason=\"not-authorised\"} 2", metrics, StringComparison.Ordinal);
        // Logged once for the device in the interval, by ids only.
        var line = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2504);
        Assert.Contains("h0001/b1", line.Message, StringComparison.Ordinal);
        Assert.True(forger.IsConnected);
        await TestMqtt.WaitUntilAsync(async () => await _influx.CountOrZeroAsync() == 1);
        Assert.Equal(1, await _influx.CountAsync("telemetry"));
    }

    [Fact]
    public async Task A_device_may_not_subscribe()
    {
        await using var gateway = await StartAsync();
        using var device = await ConnectAsync(gateway, "h0001/l1", Secret);

        var result = await device.SubscribeAsync("lightson/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(result.Items).ResultCode);
        Assert.Contains("lightson_mqtt_subscribe_refused_total 1", await gateway.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_holds_at_most_the_configured_connections_and_a_takeover_of_its_own_client_id_is_not_one_more()
    {
        await using var gateway = await StartAsync();
        using var first = await ConnectAsync(gateway, "h0001/l1", Secret, "l1-a");
        using var second = await ConnectAsync(gateway, "h0001/l1", Secret, "l1-b");

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await TryConnectAsync(gateway, "h0001/l1", Secret, "l1-c"));
        using var takeover = await ConnectAsync(gateway, "h0001/l1", Secret, "l1-b");
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TryConnectAsync(gateway, "h0001/b1", "h0001-b1-secret", "l1-a"));

        await first.DisconnectAsync();
        using var third = await TestMqttRetry(() => ConnectAsync(gateway, "h0001/l1", Secret, "l1-c"));
        string metrics = await gateway.Http.GetStringAsync("/metrics");
        Assert.Contains("lightson_mqtt_connect_refused_total{reason=\"too-many-connections\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("lightson_mqtt_connect_refused_total{reason=\"client-id-taken\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_takeover_leaves_the_device_at_its_connection_limit()
    {
        await using var gateway = await StartAsync();
        using var first = await ConnectAsync(gateway, "h0001/l1", Secret, "l1-a");
        using var second = await ConnectAsync(gateway, "h0001/l1", Secret, "l1-b");
        using var takeover = await ConnectAsync(gateway, "h0001/l1", Secret, "l1-b");

        // l1-a and the new l1-b: still two, so a third client id is one too many.
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await TryConnectAsync(gateway, "h0001/l1", Secret, "l1-c"));
    }

    [Fact]
    public async Task Without_a_credentials_file_devices_connect_anonymously_as_before_with_a_warning()
    {
        await using var gateway = await TestGateway.StartAsync($"--Influx:Url={_influx.Url}");

        using var device = await TestMqtt.ConnectAsync(gateway.MqttPort, "anonymous");
        await TestMqtt.PublishAsync(device, "lightson/hp-nanshi/h0002/light/l1", $"{{\"ts\":{Now(gateway)},\"seq\":1,\"on\":true}}");

        await TestMqtt.WaitUntilAsync(async () => await _influx.CountOrZeroAsync() == 1);
        var warning = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2501);
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task Anonymous_devices_may_be_allowed_alongside_credentials_for_a_demo()
    {
        await using var gateway = await StartAsync("--Mqtt:AllowAnonymous=true");

        using var anonymous = await TestMqtt.ConnectAsync(gateway.MqttPort, "demo");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(gateway, "h0001/l1", "wrong"));
        using var device = await ConnectAsync(gateway, "h0001/l1", Secret);
        var forged = await PublishAsync(device, "lightson/hp-nanshi/h0002/light/l1", $"{{\"ts\":{Now(gateway)},\"seq\":1,\"on\":true}}");

        Assert.True(anonymous.IsConnected);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
    }

    private Task<TestGateway> StartAsync(params string[] settings) =>
        TestGateway.StartAsync([$"--Mqtt:CredentialsPath={_credentialsPath}", $"--Influx:Url={_influx.Url}", .. settings]);

    private static MqttClientOptions Options(TestGateway gateway, string? userName, string? secret, string? clientId)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", gateway.MqttPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId ?? "dev-" + Guid.NewGuid().ToString("N")[..8]);
        if (userName is not null)
        {
            builder.WithCredentials(userName, secret);
        }
        return builder.Build();
    }

    private static async Task<IMqttClient> ConnectAsync(TestGateway gateway, string userName, string secret, string? clientId = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(gateway, userName, secret, clientId));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static async Task<MqttClientConnectResultCode> TryConnectAsync(TestGateway gateway, string? userName, string? secret, string? clientId = null)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(gateway, userName, secret, clientId));
        return result.ResultCode;
    }

    // The broker learns of a disconnect a moment after the client sent it: retry until it has.
    private static async Task<IMqttClient> TestMqttRetry(Func<Task<IMqttClient>> connect)
    {
        IMqttClient? client = null;
        await TestMqtt.WaitUntilAsync(async () =>
        {
            try
            {
                client = await connect();
                return true;
            }
            catch (Xunit.Sdk.EqualException)
            {
                return false;
            }
        });
        return client!;
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    private static long Now(TestGateway gateway) => gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
