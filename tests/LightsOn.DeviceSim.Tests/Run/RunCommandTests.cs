using System.Net;
using System.Net.Sockets;

using LightsOn.DeviceSim.Tests;

namespace LightsOn.DeviceSim.Tests.Run;

public sealed class RunCommandTests : SimulatorCommandTest
{
    [Fact]
    public void Help_shows_every_option_of_run()
    {
        int exit = Run("run", "--help");

        Assert.Equal(0, exit);
        foreach (string option in new[] { "--registry", "--host", "--port", "--start", "--speed", "--clock-from", "--duration", "--seed", "--qos", "--connections", "--verify" })
        {
            Assert.Contains(option, Output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verify_is_run_with_verification_always_on()
    {
        int exit = Run("verify", "--help");

        Assert.Equal(0, exit);
        foreach (string option in new[] { "--registry", "--clock-from", "--scenario", "--scenarios", "--grace" })
        {
            Assert.Contains(option, Output.ToString(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("--verify", Output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--start", "2026-11-23T15:00")]
    [InlineData("--speed", "60")]
    public void The_gateway_clock_and_a_clock_given_by_hand_are_refused_together(string option, string value)
    {
        int exit = Run("run", "--registry", WriteRegistry(), "--clock-from", "http://127.0.0.1:8080", option, value);

        Assert.Equal(1, exit);
        Assert.Contains("--clock-from takes the start and speed from the gateway: give it without --start and --speed.", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_clock_from_address_that_is_not_http_is_refused()
    {
        int exit = Run("run", "--registry", WriteRegistry(), "--clock-from", "127.0.0.1:8080");

        Assert.Equal(1, exit);
        Assert.Contains("--clock-from must be the gateway's HTTP address such as http://127.0.0.1:8080, not '127.0.0.1:8080'.", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_gateway_that_does_not_answer_for_its_clock_is_reported_with_its_address()
    {
        int port = ClosedPort();

        int exit = Run("verify", "--registry", WriteRegistry(), "--clock-from", $"http://127.0.0.1:{port}", "--port", "1");

        Assert.Equal(1, exit);
        Assert.Contains($"Cannot read the gateway's clock: http://127.0.0.1:{port}/healthz did not answer", Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--speed", "0", "--speed must be a number greater than 0, not 0.")]
    [InlineData("--qos", "2", "--qos must be 0 to 1, not 2.")]
    [InlineData("--connections", "0", "--connections must be 1 to 10000, not 0.")]
    [InlineData("--start", "tomorrow", "--start must be a local date-time such as 2026-11-23T15:00, not 'tomorrow'.")]
    [InlineData("--duration", "-1", "--duration must be a number of hours greater than 0, not -1.")]
    public void A_bad_option_is_refused_naming_it(string option, string value, string message)
    {
        int exit = Run("run", "--registry", WriteRegistry(), option, value);

        Assert.Equal(1, exit);
        Assert.Contains(message, Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_that_does_not_load_is_refused_with_its_reason()
    {
        string path = Path.Combine(Folder, "bad.json");
        File.WriteAllText(path, "{\"households\": 3}");

        int exit = Run("run", "--registry", path, "--port", "1");

        Assert.Equal(1, exit);
        Assert.Contains("Cannot read the registry: ", Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("bad.json", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_that_is_not_there_is_reported_with_its_address()
    {
        int port = ClosedPort();

        int exit = Run("run", "--registry", WriteRegistry(), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--connections", "1");

        Assert.Equal(1, exit);
        Assert.Contains($"Cannot connect to the MQTT broker at 127.0.0.1:{port}", Error.ToString(), StringComparison.Ordinal);
    }

    private string WriteRegistry()
    {
        string path = Path.Combine(Folder, "registry.json");
        File.WriteAllBytes(path, RegistryGeneratorTests.Generate(new RegistrySpec(3, 1, 1)));
        return path;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
