using System.CommandLine;
using System.Text.Json.Nodes;
using LightsOn.DeviceSim;
using LightsOn.Gateway.Tests.Fixtures;
using LightsOn.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightsOn.Gateway.Tests.Simulator;

/// <summary>
/// The simulator's <c>verify</c> against the real gateway (embedded broker, real influxd) on
/// the demo clock: what an integrator runs in CI. The simulator takes the gateway's clock
/// from <c>/healthz</c>, so both judge the same simulated instants.
/// </summary>
/// <remarks>
/// Alone in its collection: at these speeds one real second is many simulated minutes, and a
/// process starved by parallel tests would make devices look silent for half an hour.
/// </remarks>
[Collection(nameof(SimulatedDayCollection))]
public sealed class VerifyCommandTests : IAsyncLifetime
{
    // A simulated day in about a minute of real time: the gateway looks at its deadlines every
    // 100 ms of real time, 1.8 simulated minutes, well inside the grace of 15 given to verify.
    private const int DaySpeed = 1080;

    // Devices send a heartbeat every 4 to 6 simulated minutes. With a 90-minute timeout the
    // gateway's storage or the machine may stall for more than 4 s of real time before a device
    // looks silent; at the registry's own 30 minutes a stall of 1.3 s would do.
    private const int HeartbeatMinutes = 90;

    private readonly InfluxDbServer _influx = new();
    private readonly CapturingLoggerProvider _logs = new();
    private string _folder = "";
    private string _registryPath = "";
    private IReadOnlyList<Household> _households = [];

    public async Task InitializeAsync()
    {
        await _influx.StartAsync();
        _folder = Directory.CreateTempSubdirectory("lightson-verify-").FullName;
        _registryPath = Path.Combine(_folder, "registry.json");
        using (var generated = new MemoryStream())
        {
            RegistryGenerator.Write(new RegistrySpec(Households: 200, Communities: 3, Seed: 11), generated);
            var registry = JsonNode.Parse(generated.ToArray())!;
            foreach (var household in registry["households"]!.AsArray())
            {
                household!["policy"] ??= new JsonObject();
                household["policy"]!["heartbeatMinutes"] = HeartbeatMinutes;
            }
            await File.WriteAllTextAsync(_registryPath, registry.ToJsonString());
        }
        _households = RegistryLoader.Parse(await File.ReadAllBytesAsync(_registryPath), _registryPath).Households;
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_simulated_day_of_200_households_with_one_of_each_scenario_verifies_clean()
    {
        string wandering = _households.First(h => h.WanderingRisk).Id;
        // High risk: its 12-hour inactivity window ends inside the day.
        string quiet = _households.First(h => h.Risk == RiskLevel.High && !h.WanderingRisk).Id;
        var others = _households.Where(h => h.Id != wandering && h.Id != quiet).Select(h => h.Id).ToArray();
        string[] scenarios =
        [
            // Not in the first seconds of the run, while 200 connections are still being made.
            $"sos:{others[0]}@2026-11-23T16:20",
            $"fall:{others[1]}@2026-11-23T16:40",
            $"lights-not-on:{others[2]}@2026-11-23T17:00",
            $"door-left-open:{others[3]}@2026-11-23T18:20",
            $"device-offline:{others[4]}@2026-11-23T19:00",
            $"low-battery:{others[5]}@2026-11-23T21:00",
            $"inactivity:{quiet}@2026-11-23T16:30",
            $"wandering:{wandering}@2026-11-24T01:10",
            $"no-wake-up:{others[6]}@2026-11-24T00:00",
            $"malformed:{others[7]}@2026-11-23T17:30",
            $"duplicate:{others[8]}@2026-11-23T18:00",
            $"clock-skew:{others[9]}@2026-11-23T20:00",
            $"flood:{others[10]}@2026-11-23T22:00",
        ];
        var gateway = await StartGatewayAsync(_registryPath, DaySpeed);

        // From 15:00 to the morning after, past the last deadline (09:30).
        var (exit, output, error) = await VerifyAsync(gateway, _registryPath, hours: 19, scenarios);
        await StopAsync(gateway);

        Assert.True(exit == 0, $"verify exited with {exit}:\n{output}\n{error}\n{GatewayErrors()}");
        var rows = TableRows(output);
        // Every alert kind is expected once, and each came in time: nothing missing, late or unexpected.
        Assert.Equal(
            ["device-offline", "door-left-open", "fall", "inactivity", "lights-not-on", "low-battery", "night-door", "no-morning-activity", "sos"],
            rows.Select(r => r[2]).Distinct().Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("ok", r[0]));
        Assert.Contains("no unexpected alert.", output, StringComparison.Ordinal);
        Assert.Contains("SOS to alert (simulated time): p50 ", output, StringComparison.Ordinal);
        Assert.Empty(error);
        Assert.Empty(GatewayErrors());
    }

    [Fact]
    public async Task A_wrong_expectation_makes_verify_fail_and_names_the_alert_that_came_late()
    {
        // The simulator is told the household's lights are due by 17:30; the gateway holds the
        // registry's own deadline, later in the evening, and raises lights-not-on then.
        var household = _households.First(h => h.Policy.LightsOnBy >= new TimeOnly(19, 0) && h.Policy.EveningFrom <= new TimeOnly(16, 30));
        var registry = JsonNode.Parse(await File.ReadAllTextAsync(_registryPath))!;
        var entry = registry["households"]!.AsArray().Single(h => (string?)h!["id"] == household.Id)!;
        entry["policy"] ??= new JsonObject();
        entry["policy"]!["lightsOnBy"] = "17:30";
        string simulatorRegistry = Path.Combine(_folder, "registry-wrong.json");
        await File.WriteAllTextAsync(simulatorRegistry, registry.ToJsonString());
        var gateway = await StartGatewayAsync(_registryPath, DaySpeed);

        var (exit, output, error) = await VerifyAsync(gateway, simulatorRegistry, hours: 6, [$"lights-not-on:{household.Id}@2026-11-23T16:00"]);
        await StopAsync(gateway);

        Assert.True(exit == 2, $"verify exited with {exit}, not 2:\n{output}\n{error}");
        var rows = TableRows(output);
        Assert.True(rows.Count == 1, "one row expected:\n" + output);
        var row = rows[0];
        Assert.Equal(["LATE", household.Id, "lights-not-on", "-", "2026-11-23", "17:30:00", "2026-11-23"], row[..7]);
        Assert.Contains("Verification failed: 1 of 1 rows are wrong.", output, StringComparison.Ordinal);
        Assert.Empty(GatewayErrors());
    }

    private async Task<WebApplication> StartGatewayAsync(string registry, int speed)
    {
        var app = GatewayHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--Mqtt:Port={FreePort.Next()}",
            $"--Spool:Path={Path.Combine(_folder, "spool-" + Guid.NewGuid().ToString("N"))}",
            $"--Auth:TokensPath={Path.Combine(_folder, "tokens-" + Guid.NewGuid().ToString("N") + ".json")}",
            $"--Auth:BootstrapAdminToken={TestGateway.AdminToken}",
            $"--Registry:Path={registry}",
            $"--Influx:Url={_influx.Url}",
            "--Clock:Start=2026-11-23T15:00",
            $"--Clock:Speed={speed}"], builder => builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        await app.StartAsync();
        return app;
    }

    private static async Task StopAsync(WebApplication gateway)
    {
        await gateway.StopAsync();
        await gateway.DisposeAsync();
    }

    private static async Task<(int Exit, string Output, string Error)> VerifyAsync(WebApplication gateway, string registry, int hours, string[] scenarios)
    {
        int mqttPort = gateway.Services.GetRequiredService<IOptions<LightsOn.Gateway.Mqtt.MqttOptions>>().Value.Port;
        var args = new List<string>
        {
            "verify", "--registry", registry, "--port", mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--clock-from", gateway.Urls.Single(), "--duration", hours.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A connection per household, as real homes have: the embedded broker takes one
            // PUBLISH at a time per connection and acknowledges it once durable, so ten
            // connections could not carry a day of 200 households in a minute.
            "--seed", "3", "--connections", "200",
            // 15 simulated minutes, under a second of real time at these speeds: a pause of the
            // test process (a full collection after hundreds of tests) is not a late alert.
            "--grace", "900",
        };
        foreach (string scenario in scenarios)
        {
            args.Add("--scenario");
            args.Add(scenario);
        }
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await SimulatorCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The verification table's rows, split on blanks (dates and times are separate columns).</summary>
    private static List<string[]> TableRows(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        int header = Array.FindIndex(lines, l => l.StartsWith("result ", StringComparison.Ordinal));
        Assert.True(header >= 0, "no verification table in:\n" + output);
        return lines.Skip(header + 1)
            .TakeWhile(l => l.Length > 0 && !l.StartsWith("SOS to alert", StringComparison.Ordinal) && !l.StartsWith("Verif", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
    }

    private string GatewayErrors() =>
        string.Join("\n", _logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.ToString()));
}
