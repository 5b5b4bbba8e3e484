using System.CommandLine;
using System.Globalization;
using LightsOn.DeviceSim;
using LightsOn.DeviceSim.Credentials;
using LightsOn.DeviceSim.Load;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;

namespace LightsOn.Gateway.Tests.Simulator;

/// <summary>
/// The simulator as the devices themselves, against a gateway that lets only provisioned devices
/// in (a credentials file, <c>Mqtt:AllowAnonymous=false</c>): <c>verify</c> and <c>load</c> with
/// <c>--secrets</c> from <c>device-sim credentials</c>, each device on a connection of its own,
/// and over the TLS listener alone with <c>--ca</c>. Real gateway, real influxd.
/// </summary>
/// <remarks>In the simulated-day collection: the verify run is on a fast demo clock.</remarks>
[Collection(nameof(SimulatedDayCollection))]
public sealed class SecureSimulatorTests : IAsyncLifetime
{
    // Two simulated hours in twenty seconds; connecting every device takes some seconds of it.
    private const int Speed = 360;

    private readonly InfluxDbServer _influx = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly TestCertificates _pki = TestCertificates.Create();
    private string _folder = "";
    private string _registryPath = "";
    private string _credentialsPath = "";
    private string _secretsPath = "";
    private IReadOnlyList<Household> _households = [];

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-secure-sim-").FullName;
        _pki.WriteTo(_folder);
        _registryPath = Path.Combine(_folder, "registry.json");
        await using (var file = File.Create(_registryPath))
        {
            RegistryGenerator.Write(new RegistrySpec(Households: 12, Communities: 2, Seed: 5), file);
        }
        var registry = RegistryLoader.Parse(await File.ReadAllBytesAsync(_registryPath), _registryPath);
        _households = registry.Households;
        _credentialsPath = Path.Combine(_folder, "credentials.json");
        _secretsPath = Path.Combine(_folder, "secrets.json");
        await using var credentials = File.Create(_credentialsPath);
        await using var secrets = File.Create(_secretsPath);
        CredentialsWriter.Write(registry, credentials, secrets);
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Verify_with_device_secrets_over_tls_only_stores_the_devices_messages_and_sees_the_sos_alert_on_the_http_stream()
    {
        string sos = _households[3].Id;
        var gateway = await StartGatewayAsync(
            "--Mqtt:Port=0",
            $"--Mqtt:Tls:Port={FreePort.Next()}",
            $"--Mqtt:Tls:CertificatePath={Path.Combine(_folder, "server.pem")}",
            $"--Mqtt:Tls:KeyPath={Path.Combine(_folder, "server.key")}");
        int tlsPort = gateway.Services.GetRequiredService<IOptions<LightsOn.Gateway.Mqtt.MqttOptions>>().Value.Tls.Port;

        var (exit, output, error) = await RunAsync(
            "verify", "--registry", _registryPath, "--secrets", _secretsPath,
            "--ca", Path.Combine(_folder, "ca.pem"), "--port", tlsPort.ToString(CultureInfo.InvariantCulture),
            "--clock-from", gateway.Urls.Single(), "--alerts-from", gateway.Urls.Single(), "--token", TestGateway.AdminToken,
            "--duration", "2", "--scenario", $"sos:{sos}@2026-11-23T16:45");
        string metrics = await new HttpClient().GetStringAsync(new Uri(new Uri(gateway.Urls.Single()), "/metrics"));
        await StopAsync(gateway);

        Assert.True(exit == 0, $"verify exited with {exit}:\n{output}\n{error}\n{GatewayErrors()}");
        int devices = _households.Sum(h => h.Devices.Count);
        Assert.Contains($"over {devices} connections to 127.0.0.1:{tlsPort} (TLS)", output, StringComparison.Ordinal);
        Assert.Contains("no unexpected alert.", output, StringComparison.Ordinal);
        var row = Assert.Single(output.Split('\n'), l => l.StartsWith("ok ", StringComparison.Ordinal) && l.Contains(" sos ", StringComparison.Ordinal));
        Assert.Contains(sos, row, StringComparison.Ordinal);
        // Every message came from its own device, within its rights, and was stored.
        Assert.Contains("lightson_mqtt_publish_refused_total{reason=\"not-authorised\"} 0", metrics, StringComparison.Ordinal);
        Assert.DoesNotMatch("lightson_mqtt_connect_refused_total\\{reason=\"[a-z-]+\"\\} [1-9]", metrics);
        Assert.True(await _influx.CountOrZeroAsync() > devices, "the devices' messages were not stored");
        Assert.Empty(GatewayErrors());
    }

    [Fact]
    public async Task Load_with_device_secrets_publishes_as_each_device_and_every_acknowledged_message_is_stored()
    {
        // Without per-device rate limits: the load's pacing is shared by all connections, so the
        // first to connect may spend a second's worth of messages at once on its one device, and
        // the gateway would rightly acknowledge and drop those over the device's burst.
        var gateway = await StartGatewayAsync($"--Mqtt:Port={FreePort.Next()}", "--Ingest:DeviceRatePerSecond=0");
        int port = gateway.Services.GetRequiredService<IOptions<LightsOn.Gateway.Mqtt.MqttOptions>>().Value.Port;
        var options = new LoadOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Rate = 200,
            Duration = TimeSpan.FromSeconds(3),
            Connections = 20,
            Qos = MqttQualityOfServiceLevel.AtLeastOnce,
            Secrets = DeviceSecrets.Read(_secretsPath),
            Start = new DateTimeOffset(2026, 11, 23, 6, 50, 0, TimeSpan.Zero),
        };

        var result = await new LoadGenerator(options, LoadDevice.ReadRegistry(_registryPath, "lightson")).RunAsync();
        string metrics = await new HttpClient().GetStringAsync(new Uri(new Uri(gateway.Urls.Single()), "/metrics"));
        await StopAsync(gateway);

        Assert.Null(result.Failure);
        Assert.Equal(0, result.Errors);
        Assert.Equal(result.Sent, result.Acknowledged);
        Assert.True(result.Acknowledged > 0);
        Assert.Contains("lightson_mqtt_publish_refused_total{reason=\"not-authorised\"} 0", metrics, StringComparison.Ordinal);
        await TestMqtt.WaitUntilAsync(async () => await _influx.CountOrZeroAsync() == result.Acknowledged);
    }

    [Fact]
    public async Task Without_secrets_the_simulator_is_refused_and_says_so()
    {
        var gateway = await StartGatewayAsync($"--Mqtt:Port={FreePort.Next()}");
        int port = gateway.Services.GetRequiredService<IOptions<LightsOn.Gateway.Mqtt.MqttOptions>>().Value.Port;

        var (exit, output, _) = await RunAsync(
            "load", "--registry", _registryPath, "--port", port.ToString(CultureInfo.InvariantCulture), "--rate", "10", "--duration", "1", "--connections", "2");
        await StopAsync(gateway);

        Assert.Equal(2, exit);
        Assert.Contains("refused: BadUserNameOrPassword", output, StringComparison.Ordinal);
    }

    private async Task<WebApplication> StartGatewayAsync(params string[] settings)
    {
        var app = GatewayHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--Spool:Path={Path.Combine(_folder, "spool-" + Guid.NewGuid().ToString("N"))}",
            $"--Auth:TokensPath={Path.Combine(_folder, "tokens-" + Guid.NewGuid().ToString("N") + ".json")}",
            $"--Auth:BootstrapAdminToken={TestGateway.AdminToken}",
            $"--Registry:Path={_registryPath}",
            $"--Influx:Url={_influx.Url}",
            $"--Mqtt:CredentialsPath={_credentialsPath}",
            "--Mqtt:AllowAnonymous=false",
            "--Clock:Start=2026-11-23T15:00",
            $"--Clock:Speed={Speed}",
            .. settings], builder => builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        await app.StartAsync();
        return app;
    }

    private static async Task StopAsync(WebApplication gateway)
    {
        await gateway.StopAsync();
        await gateway.DisposeAsync();
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await SimulatorCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private string GatewayErrors() =>
        string.Join("\n", _logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.ToString()));
}
