using System.Text.Json;
using LightsOn.Gateway.Mqtt;
using LightsOn.Gateway.Tests.Spool;
using LightsOn.Rules;
using MQTTnet;

namespace LightsOn.Gateway.Tests.Security;

/// <summary>
/// <c>device-sim credentials</c> against the gateway that reads its output: a secret from the
/// secrets file opens the broker for its device, and the credentials file holds no secret.
/// </summary>
public sealed class CredentialsProvisioningTests
{
    [Fact]
    public async Task A_secret_from_the_provisioned_secrets_file_lets_its_device_connect_and_the_credentials_file_holds_only_hashes()
    {
        using var folder = new TempFolder();
        string registryPath = Path.Combine(AppContext.BaseDirectory, "demo-registry.json");
        var registry = RegistryLoader.Parse(File.ReadAllBytes(registryPath), registryPath);
        string credentialsPath = Path.Combine(folder.Path, "credentials.json");
        string secretsPath = Path.Combine(folder.Path, "secrets.json");
        int devices;
        using (var credentials = File.Create(credentialsPath))
        using (var secrets = File.Create(secretsPath))
        {
            devices = DeviceSim.Credentials.CredentialsWriter.Write(registry, credentials, secrets);
        }
        var entry = JsonDocument.Parse(File.ReadAllText(secretsPath)).RootElement.GetProperty("devices")[3];
        string userName = entry.GetProperty("username").GetString()!;
        string secret = entry.GetProperty("secret").GetString()!;

        await using var gateway = await TestGateway.StartAsync($"--Mqtt:CredentialsPath={credentialsPath}");
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", gateway.MqttPort).WithCredentials(userName, secret).Build());

        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        Assert.Equal(registry.Households.Sum(h => h.Devices.Count), devices);
        Assert.Equal(devices, DeviceCredentials.Parse(File.ReadAllBytes(credentialsPath), registry, "lightson", out int unregistered).Count);
        Assert.Equal(0, unregistered);
        Assert.DoesNotContain(secret, File.ReadAllText(credentialsPath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"devices":[{"household":"h0001","device":"l1","hash":"plain"}]}""", "hash")]
    [InlineData("""{"devices":[{"household":"h0001","device":"l1"}]}""", "\"hash\"")]
    [InlineData("""[{"household":"h0001","device":"l1","hash":"x"}]""", "\"devices\"")]
    public async Task A_malformed_credentials_file_stops_the_start_naming_the_problem(string json, string named)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "credentials.json");
        await File.WriteAllTextAsync(path, json);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestGateway.StartAsync($"--Mqtt:CredentialsPath={path}"));

        Assert.Contains("Mqtt:CredentialsPath", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_for_devices_not_in_the_registry_are_left_out_and_a_duplicate_is_an_error()
    {
        string hash = DeviceCredentialHash.Hash("x");
        var registry = RegistryLoader.Parse(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "demo-registry.json")), "demo");
        string json = $$"""{"devices":[{"household":"h0001","device":"l1","hash":"{{hash}}"},{"household":"h9999","device":"l1","hash":"{{hash}}"},{"household":"h0001","device":"zz","hash":"{{hash}}"}]}""";

        var devices = DeviceCredentials.Parse(System.Text.Encoding.UTF8.GetBytes(json), registry, "lightson", out int unregistered);

        Assert.Equal("lightson/hp-nanshi/h0001/", Assert.Single(devices).Value.TopicPrefix);
        Assert.Equal(2, unregistered);
        string twice = $$"""{"devices":[{"household":"h0001","device":"l1","hash":"{{hash}}"},{"household":"h0001","device":"l1","hash":"{{hash}}"}]}""";
        Assert.Throws<JsonException>(() => DeviceCredentials.Parse(System.Text.Encoding.UTF8.GetBytes(twice), registry, "lightson", out _));
    }
}
