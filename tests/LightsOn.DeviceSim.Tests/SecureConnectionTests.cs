using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LightsOn.DeviceSim.Credentials;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Tests;

/// <summary>
/// The simulator's options for a broker that takes device credentials and TLS (<c>--secrets</c>,
/// <c>--tls</c>, <c>--ca</c>, <c>--alerts-from</c>): what they read and what they refuse, without a broker.
/// The runs against a real gateway are in the gateway's tests (Simulator/SecureSimulatorTests).
/// </summary>
public sealed class SecureConnectionTests : SimulatorCommandTest
{
    [Fact]
    public void The_secrets_file_of_credentials_is_read_back_as_each_devices_user_name_and_secret()
    {
        var registry = RegistryLoader.Parse(RegistryGeneratorTests.Generate(new RegistrySpec(3, 1, 1)), "registry.json");
        using var credentials = new MemoryStream();
        using var written = new MemoryStream();
        int devices = CredentialsWriter.Write(registry, credentials, written);

        var secrets = DeviceSecrets.Parse(written.ToArray());

        Assert.Equal(devices, secrets.Count);
        var household = registry.Households[2];
        Assert.True(secrets.TryGet(household.Id, household.Devices[1].Id, out string userName, out string secret));
        Assert.Equal($"{household.Id}/{household.Devices[1].Id}", userName);
        Assert.Contains($"\"secret\": \"{secret}\"", Encoding.UTF8.GetString(written.ToArray()), StringComparison.Ordinal);
        Assert.False(secrets.TryGet(household.Id, "nope", out _, out _));
    }

    [Theory]
    [InlineData("load")]
    [InlineData("run")]
    [InlineData("verify")]
    public void Help_lists_the_options_for_a_secured_broker(string command)
    {
        Assert.Equal(0, Run(command, "--help"));

        foreach (string option in new[] { "--secrets", "--tls", "--ca" })
        {
            Assert.Contains(option, Output.ToString(), StringComparison.Ordinal);
        }
        if (command != "load")
        {
            Assert.Contains("--alerts-from", Output.ToString(), StringComparison.Ordinal);
            Assert.Contains("--token", Output.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("load")]
    [InlineData("run")]
    public void A_file_that_is_not_a_secrets_file_is_refused_naming_it(string command)
    {
        string secrets = Path.Combine(Folder, "secrets.json");
        File.WriteAllText(secrets, """{"devices":[{"household":"h000001","device":"d1"}]}""");

        int exit = Run(command, "--registry", WriteRegistry(), "--secrets", secrets, "--port", ClosedPort());

        Assert.Equal(1, exit);
        Assert.Contains($"Cannot read the device secrets: {secrets} is not a device secrets file", Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"secret\"", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void With_secrets_every_device_has_its_own_connection_so_a_connection_count_is_refused()
    {
        int exit = Run("run", "--registry", WriteRegistry(), "--secrets", Path.Combine(Folder, "secrets.json"), "--connections", "5");

        Assert.Equal(1, exit);
        Assert.Contains("--secrets gives every device a connection of its own: leave --connections out.", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_without_a_secret_is_named_before_anything_connects()
    {
        string registry = WriteRegistry();
        var households = RegistryLoader.Parse(File.ReadAllBytes(registry), registry).Households;
        string secrets = Path.Combine(Folder, "secrets.json");
        var first = households[0];
        File.WriteAllText(secrets, $$"""{"devices":[{"household":"{{first.Id}}","device":"{{first.Devices[0].Id}}","secret":"s"}]}""");
        string port = ClosedPort();

        int exit = Run("run", "--registry", registry, "--secrets", secrets, "--port", port);

        Assert.Equal(1, exit);
        Assert.Contains($"Cannot connect to the MQTT broker at 127.0.0.1:{port}: the secrets file has no secret for device {first.Id}/{first.Devices[1].Id}", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void With_tls_the_port_is_8883_unless_given_and_the_broker_is_named_with_tls()
    {
        int exit = Run("run", "--registry", WriteRegistry(), "--tls", "--connections", "1", "--duration", "1");

        Assert.Equal(1, exit);
        Assert.Contains("Cannot connect to the MQTT broker at 127.0.0.1:8883 (TLS)", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_ca_file_that_holds_no_certificate_is_refused_naming_it()
    {
        string ca = Path.Combine(Folder, "ca.pem");
        File.WriteAllText(ca, "not a certificate");

        int exit = Run("load", "--registry", WriteRegistry(), "--ca", ca, "--port", ClosedPort());

        Assert.Equal(1, exit);
        Assert.Contains($"Cannot use --ca {ca}:", Error.ToString(), StringComparison.Ordinal);
    }

    private string WriteRegistry()
    {
        string path = Path.Combine(Folder, "registry.json");
        File.WriteAllBytes(path, RegistryGeneratorTests.Generate(new RegistrySpec(3, 1, 1)));
        return path;
    }

    private static string ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port.ToString(CultureInfo.InvariantCulture);
    }
}
