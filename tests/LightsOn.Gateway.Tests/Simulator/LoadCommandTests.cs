using LightsOn.DeviceSim;
using LightsOn.DeviceSim.Load;
using LightsOn.Gateway.Tests.Fixtures;
using MQTTnet.Protocol;

namespace LightsOn.Gateway.Tests.Simulator;

/// <summary>
/// The simulator's <c>load</c> mode against the real gateway (embedded broker) and a real
/// influxd: it keeps to the rate it was asked for, and every message it counts as
/// acknowledged is a point the gateway stored.
/// </summary>
public sealed class LoadCommandTests : IAsyncLifetime
{
    private readonly InfluxDbServer _influx = new();
    private string _folder = "";
    private string _registryPath = "";

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-load-").FullName;
        _registryPath = Path.Combine(_folder, "registry.json");
        await using var file = File.Create(_registryPath);
        RegistryGenerator.Write(new RegistrySpec(Households: 200, Communities: 2, Seed: 7), file);
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_short_qos1_run_stays_within_its_rate_and_every_acknowledged_message_is_a_stored_point()
    {
        await using var gateway = await TestGateway.StartAsync(
            $"--Registry:Path={_registryPath}",
            $"--Influx:Url={_influx.Url}",
            $"--Spool:Path={Path.Combine(_folder, "spool")}");
        var options = new LoadOptions
        {
            Host = "127.0.0.1",
            Port = gateway.MqttPort,
            Rate = 2_000,
            Duration = TimeSpan.FromSeconds(5),
            Connections = 10,
            Qos = MqttQualityOfServiceLevel.AtLeastOnce,
            // Device times just behind the gateway's fake clock, so none is taken for clock skew.
            Start = TestGateway.StartTime.AddMinutes(-10),
        };
        var progress = new List<LoadProgress>();

        var result = await new LoadGenerator(options, LoadDevice.ReadRegistry(_registryPath, "lightson")).RunAsync(progress.Add);

        Assert.Null(result.Failure);
        Assert.Equal(0, result.Errors);
        Assert.Equal(result.Sent, result.Acknowledged);
        // The pacing caps what is sent at the rate plus its one-second burst, however fast the
        // machine; how close a run comes to the rate is a benchmark figure, not a test's.
        Assert.InRange(result.Sent, 1, 2_000 * 5 + 2_000);
        Assert.NotEmpty(progress);
        Assert.Equal(result.Acknowledged, await WaitForTelemetryCountAsync(result.Acknowledged));
    }

    [Fact]
    public async Task A_broker_that_is_not_there_exits_non_zero_with_nothing_sent_and_says_so_in_the_json_summary()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["load", "--registry", _registryPath, "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--rate", "100", "--duration", "1", "--connections", "2", "--json"];

        int exit = await SimulatorCommand.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(2, exit);
        using var summary = System.Text.Json.JsonDocument.Parse(output.ToString());
        Assert.Equal(0, summary.RootElement.GetProperty("sent").GetInt64());
        Assert.False(summary.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains("connection", summary.RootElement.GetProperty("failure").GetString(), StringComparison.Ordinal);
        Assert.Contains("connection", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<long> WaitForTelemetryCountAsync(long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long count = 0;
        while (DateTime.UtcNow < deadline)
        {
            count = await _influx.CountOrZeroAsync();
            if (count >= expected)
            {
                break;
            }
            await Task.Delay(100);
        }
        // Give a stray extra point the chance to show before the count is judged.
        await Task.Delay(300);
        return await _influx.CountOrZeroAsync();
    }

}
