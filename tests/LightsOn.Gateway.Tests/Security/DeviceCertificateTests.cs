using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Gateway.Tests.Spool;
using MQTTnet;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// Device certificates on the TLS listener (<c>Mqtt:Tls:ClientCertificateMode</c>), with real
/// MQTTnet clients over real TLS: a certificate from the configured CA names its device
/// (subject CN <c>{household}/{device}</c>) and the device's topic rules apply; one from another
/// CA, an expired one, none when required, or one beside another device's user name is refused
/// and counted. The test makes its CA and certificates; the gateway runs on the demo registry.
/// </summary>
public sealed class DeviceCertificateTests : IAsyncLifetime
{
    private const string Secret = "h0002-b1-secret";
    private readonly InfluxDbServer _influx = new();
    private readonly TempFolder _folder = new();
    private readonly TestCertificates _pki = TestCertificates.Create();
    private string _credentialsPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _pki.WriteTo(_folder.Path);
        _credentialsPath = Path.Combine(_folder.Path, "devices.json");
        await CredentialsFile.WriteAsync(_credentialsPath, ("h0002", "b1", Secret));
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        _pki.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_certificate_from_the_ca_connects_without_a_secret_and_publishes_only_for_its_own_device()
    {
        await using var gateway = await StartAsync("required");
        using var certificate = _pki.IssueDevice("h0001/l1");

        using var device = await TlsDevice.ConnectAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, certificate));
        var own = await TlsDevice.PublishAsync(device, "lightson/hp-nanshi/h0001/light/l1", Payload(gateway, 1, "\"on\":true"));
        var forged = await TlsDevice.PublishAsync(device, "lightson/hp-nanshi/h0002/sos/b1", Payload(gateway, 2, null));
        var asOtherDevice = await TlsDevice.PublishAsync(device, "lightson/hp-nanshi/h0001/door/d1", Payload(gateway, 3, "\"open\":true"));
        var subscribed = await device.SubscribeAsync("lightson/#", MqttQualityOfServiceLevel.AtLeastOnce);

        Assert.Equal(MqttClientPublishReasonCode.Success, own.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, asOtherDevice.ReasonCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(subscribed.Items).ResultCode);
        await TestMqtt.WaitUntilAsync(async () => await _influx.CountOrZeroAsync() == 1);
        string metrics = await gateway.Http.GetStringAsync("/metrics");
        Assert.Contains("lightson_mqtt_publish_refused_total{reason=\"not-authorised\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("h0001/l1", Assert.Single(gateway.Logs.Entries, e => e.EventId == 2504).Message, StringComparison.Ordinal);
        Assert.Empty(await AlertsAsync(gateway));
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused_in_the_handshake_and_counted()
    {
        await using var gateway = await StartAsync("optional");
        using var stranger = TestCertificates.CreateAuthority("Somebody else's CA");
        using var certificate = _pki.IssueDevice("h0001/l1", issuer: stranger);

        await AssertRefusedInHandshakeAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, certificate));

        await AssertRefusedCountedAsync(gateway, "certificate-untrusted");
        var line = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2654);
        Assert.Equal(LogLevel.Warning, line.Level);
        // Whatever an untrusted certificate claims to be is not taken for a device.
        Assert.Contains("device (unknown)", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("h0001/l1", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_certificate_from_the_ca_is_refused_and_the_log_names_the_device_to_renew()
    {
        await using var gateway = await StartAsync("required");
        using var certificate = _pki.IssueDevice("h0001/l1", notBefore: DateTimeOffset.UtcNow.AddDays(-60), notAfter: DateTimeOffset.UtcNow.AddDays(-1));

        await AssertRefusedInHandshakeAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, certificate));

        await AssertRefusedCountedAsync(gateway, "certificate-expired");
        var line = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2654);
        Assert.Contains("(certificate-expired) for device h0001/l1", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_certificate_a_tls_connection_is_refused_when_certificates_are_required_even_with_a_good_secret()
    {
        await using var gateway = await StartAsync("required");

        await AssertRefusedInHandshakeAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, userName: "h0002/b1", secret: Secret));

        await AssertRefusedCountedAsync(gateway, "certificate-missing");
        // The plain listener still takes the device's secret: Mqtt:Port=0 closes it.
        using var plain = new MqttClientFactory().CreateMqttClient();
        var result = await plain.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", gateway.MqttPort).WithCredentials("h0002/b1", Secret).Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    [Fact]
    public async Task With_optional_certificates_a_device_connects_with_its_certificate_or_its_secret_and_an_anonymous_one_is_refused()
    {
        await using var gateway = await StartAsync("optional");
        using var certificate = _pki.IssueDevice("h0001/l1");

        using var byCertificate = await TlsDevice.ConnectAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, certificate));
        using var bySecret = await TlsDevice.ConnectAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, userName: "h0002/b1", secret: Secret));
        var anonymous = await TlsDevice.TryConnectAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority));
        var sos = await TlsDevice.PublishAsync(bySecret, "lightson/hp-nanshi/h0002/sos/b1", Payload(gateway, 1, null));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, anonymous);
        Assert.Equal(MqttClientPublishReasonCode.Success, sos.ReasonCode);
        await TestMqtt.WaitUntilAsync(async () => (await AlertsAsync(gateway)).Count == 1);
        Assert.Equal("h0002", (await AlertsAsync(gateway))[0].GetProperty("household").GetString());
    }

    [Theory]
    [InlineData("h0001/l1", "h0001/l1", MqttClientConnectResultCode.Success, null)]
    [InlineData("h0001/l1", "h0002/b1", MqttClientConnectResultCode.NotAuthorized, "certificate-mismatch")]
    [InlineData("h0009/l1", null, MqttClientConnectResultCode.BadUserNameOrPassword, "unknown-device")]
    [InlineData("h0001/zz", null, MqttClientConnectResultCode.BadUserNameOrPassword, "unknown-device")]
    [InlineData("Someone's phone", null, MqttClientConnectResultCode.BadUserNameOrPassword, "unknown-device")]
    public async Task A_certificate_is_tied_to_the_user_name_and_must_name_a_registered_device(string commonName, string? userName, MqttClientConnectResultCode expected, string? reason)
    {
        await using var gateway = await StartAsync("required");
        using var certificate = _pki.IssueDevice(commonName);

        var code = await TlsDevice.TryConnectAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, certificate, userName, userName is null ? null : Secret));

        Assert.Equal(expected, code);
        if (reason is not null)
        {
            await AssertRefusedCountedAsync(gateway, reason);
            var line = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2503);
            // A mismatch names the device of the certificate; a name that is no device is not logged.
            Assert.Contains(reason == "certificate-mismatch" ? "user h0001/l1" : "user (unknown)", line.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(reason == "certificate-mismatch" ? "h0002/b1" : commonName, line.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<List<JsonElement>> AlertsAsync(TestGateway gateway) =>
        [.. JsonDocument.Parse(await gateway.Http.GetStringAsync("/api/alerts")).RootElement.EnumerateArray()];

    private static async Task AssertRefusedInHandshakeAsync(MqttClientOptions options)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        // The TLS handshake fails, or (TLS 1.3, where the client finishes first) the broker closes
        // the connection before any CONNACK: either way the client never gets connected.
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(options));
        Assert.False(client.IsConnected);
    }

    private static async Task AssertRefusedCountedAsync(TestGateway gateway, string reason)
    {
        string metrics = await gateway.Http.GetStringAsync("/metrics");
        Assert.Contains($"lightson_mqtt_connect_refused_total{{reason=\"{reason}\"}} 1", metrics, StringComparison.Ordinal);
    }

    private Task<TestGateway> StartAsync(string mode) =>
        TestGateway.StartAsync(
            $"--Influx:Url={_influx.Url}",
            $"--Mqtt:CredentialsPath={_credentialsPath}",
            $"--Mqtt:Tls:Port={FreePort.Next()}",
            $"--Mqtt:Tls:CertificatePath={Path.Combine(_folder.Path, "server.pfx")}",
            "--Mqtt:Tls:Password=test-password",
            $"--Mqtt:Tls:ClientCertificateMode={mode}",
            $"--Mqtt:Tls:ClientCaPath={Path.Combine(_folder.Path, "ca.pem")}");

    private static string Payload(TestGateway gateway, int seq, string? fields) =>
        $"{{\"ts\":{gateway.Time.GetUtcNow().ToUnixTimeMilliseconds()},\"seq\":{seq}{(fields is null ? "" : "," + fields)}}}";
}
