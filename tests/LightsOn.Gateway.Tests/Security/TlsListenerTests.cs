using System.Net;
using System.Net.NetworkInformation;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Gateway.Tests.Spool;
using MQTTnet;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// The embedded broker's TLS listener with real MQTTnet clients over real TLS: devices with
/// their secrets, the broker's certificate as PKCS#12 or PEM, and TLS only (<c>Mqtt:Port=0</c>).
/// The certificates are made by the test; the gateway runs on the demo registry.
/// </summary>
public sealed class TlsListenerTests : IAsyncLifetime
{
    private const string Secret = "h0001-l1-secret";
    private readonly InfluxDbServer _influx = new();
    private readonly TempFolder _folder = new();
    private readonly TestCertificates _pki = TestCertificates.Create();
    private string _credentialsPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _pki.WriteTo(_folder.Path);
        _credentialsPath = Path.Combine(_folder.Path, "devices.json");
        await CredentialsFile.WriteAsync(_credentialsPath, ("h0001", "l1", Secret));
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        _pki.Dispose();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task A_device_with_its_secret_connects_over_tls_and_what_it_publishes_is_stored(string format)
    {
        string[] certificate = format == "pfx"
            ? [$"--Mqtt:Tls:CertificatePath={PathOf("server.pfx")}", "--Mqtt:Tls:Password=test-password"]
            : [$"--Mqtt:Tls:CertificatePath={PathOf("server.pem")}", $"--Mqtt:Tls:KeyPath={PathOf("server.key")}"];
        await using var gateway = await StartAsync([.. certificate]);

        using var device = await TlsDevice.ConnectAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, userName: "h0001/l1", secret: Secret));
        var result = await TlsDevice.PublishAsync(device, "lightson/hp-nanshi/h0001/light/l1", $"{{\"ts\":{Now(gateway)},\"seq\":1,\"on\":true}}");

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        await TestMqtt.WaitUntilAsync(async () => await _influx.CountOrZeroAsync() == 1);
        var started = Assert.Single(gateway.Logs.Entries, e => e.EventId == 2651);
        Assert.Contains($"127.0.0.1:{gateway.MqttTlsPort}", started.Message, StringComparison.Ordinal);
        Assert.Contains($"plain listener on port {gateway.MqttPort}", started.Message, StringComparison.Ordinal);
        // The secret is checked over TLS as over the plain listener.
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword,
            await TlsDevice.TryConnectAsync(TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, userName: "h0001/l1", secret: "wrong")));
    }

    [Fact]
    public async Task With_Mqtt_Port_0_the_tls_listener_is_the_only_one_and_it_speaks_no_plain_mqtt()
    {
        // An address of its own inside 127.0.0.0/8 (all loopback on Linux), so the listeners on
        // it are this gateway's, whatever else runs on the machine.
        var address = new IPAddress([127, (byte)Random.Shared.Next(16, 250), (byte)Random.Shared.Next(1, 250), (byte)Random.Shared.Next(2, 250)]);
        await using var gateway = await StartAsync(
            $"--Mqtt:BindAddress={address}", "--Mqtt:Port=0",
            $"--Mqtt:Tls:CertificatePath={PathOf("server.pfx")}", "--Mqtt:Tls:Password=test-password");

        var listening = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(e => e.Address.Equals(address)).Select(e => e.Port);

        Assert.Equal([gateway.MqttTlsPort], listening);
        Assert.Contains("plain listener off", Assert.Single(gateway.Logs.Entries, e => e.EventId == 2651).Message, StringComparison.Ordinal);
        using var device = await TlsDevice.ConnectAsync(
            TlsDevice.Options(gateway.MqttTlsPort, _pki.Authority, userName: "h0001/l1", secret: Secret, host: address.ToString()));
        using var plain = new MqttClientFactory().CreateMqttClient();
        await Assert.ThrowsAnyAsync<Exception>(() => plain.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(address.ToString(), gateway.MqttTlsPort).WithCredentials("h0001/l1", Secret).WithTimeout(TimeSpan.FromSeconds(10)).Build()));
        Assert.True(device.IsConnected);
    }

    [Fact]
    public async Task A_connection_that_never_finishes_its_tls_handshake_is_closed()
    {
        await using var gateway = await StartAsync($"--Mqtt:Tls:CertificatePath={PathOf("server.pfx")}", "--Mqtt:Tls:Password=test-password");

        // Connects and says nothing: held only until the CONNECT deadline (10 s), not for ever.
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", gateway.MqttTlsPort);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int read;
        try
        {
            read = await socket.ReceiveAsync(new byte[16], timeout.Token);
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
        {
            read = 0;
        }
        Assert.Equal(0, read);
    }

    private string PathOf(string name) => Path.Combine(_folder.Path, name);

    private Task<TestGateway> StartAsync(params string[] settings) =>
        TestGateway.StartAsync([
            $"--Mqtt:CredentialsPath={_credentialsPath}", $"--Influx:Url={_influx.Url}",
            $"--Mqtt:Tls:Port={FreePort.Next()}", .. settings]);

    private static long Now(TestGateway gateway) => gateway.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
