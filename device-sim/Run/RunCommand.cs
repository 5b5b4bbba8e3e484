using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LightsOn.DeviceSim.Connection;
using LightsOn.DeviceSim.Scenarios;
using LightsOn.DeviceSim.Verify;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Run;

/// <summary><c>run</c>: the registry's households living their days, published over MQTT.</summary>
internal static class RunCommand
{
    private static readonly string[] StartFormats =
        ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    /// <summary><c>run</c>: the households' days, with <c>--verify</c> to check the alerts too.</summary>
    public static Command Create() =>
        Build("run", "Simulate the registry's households over MQTT: daily routines, heartbeats and batteries, in real time or on a scaled clock", verifyAlways: false);

    /// <summary><c>verify</c>: <c>run --verify</c> under its own name, for integrators' CI.</summary>
    public static Command CreateVerify() =>
        Build("verify", "Run the households with their scenarios and check the gateway's alerts: every scenario's alert in time, none for any other household; exits with 2 on any mismatch", verifyAlways: true);

    private static Command Build(string name, string description, bool verifyAlways)
    {
        var registry = new Option<FileInfo>("--registry", "-r")
        {
            Description = "The registry file (design.md format), the same the gateway loads",
            Required = true,
        };
        var host = new Option<string>("--host")
        {
            Description = "The MQTT broker: the gateway's embedded one, or the external broker it reads",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port")
        {
            Description = "The MQTT broker's port",
            DefaultValueFactory = _ => 1883,
        };
        port.Validators.Add(r => OptionValidation.InRange(r, 1, 65535));
        var start = new Option<string?>("--start")
        {
            Description = "Start the simulated clock at this local time in the households' zone, e.g. 2026-11-23T15:00 (the gateway's Clock:Start); default: now",
        };
        start.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && !TryParseStart(r.Tokens[0].Value, out _))
            {
                r.AddError($"--start must be a local date-time such as 2026-11-23T15:00, not '{r.Tokens[0].Value}'.");
            }
        });
        var speed = new Option<double>("--speed")
        {
            Description = "How many times faster than real time the simulated clock runs (the gateway's Clock:Speed)",
            DefaultValueFactory = _ => 1,
        };
        speed.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && !(value > 0 && double.IsFinite(value)))
            {
                r.AddError($"--speed must be a number greater than 0, not {r.Tokens[0].Value}.");
            }
        });
        var clockFrom = new Option<Uri?>("--clock-from")
        {
            Description = "Take the simulated clock (time and speed) from the running gateway at this HTTP address, e.g. http://127.0.0.1:8080, instead of --start and --speed",
            CustomParser = r => ParseGatewayUrl(r, "--clock-from"),
        };
        var duration = new Option<double?>("--duration")
        {
            Description = "How many simulated hours to run; default: until stopped (Ctrl+C)",
        };
        duration.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && !(value > 0 && double.IsFinite(value)))
            {
                r.AddError($"--duration must be a number of hours greater than 0, not {r.Tokens[0].Value}.");
            }
        });
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the routines: the same seed and registry give the same messages",
            DefaultValueFactory = _ => 1,
        };
        var qos = new Option<int>("--qos")
        {
            Description = "MQTT QoS: 0 (at most once) or 1 (at least once)",
            DefaultValueFactory = _ => 1,
        };
        qos.Validators.Add(r => OptionValidation.InRange(r, 0, 1));
        var connections = new Option<int>("--connections")
        {
            Description = "How many MQTT connections the households are spread over (with --secrets every device has its own)",
            DefaultValueFactory = _ => 20,
        };
        connections.Validators.Add(r => OptionValidation.InRange(r, 1, 10_000));
        var root = new Option<string>("--root")
        {
            Description = "The topic root (the gateway's Mqtt topic root)",
            DefaultValueFactory = _ => "lightson",
        };

        var scenario = new Option<string[]>("--scenario")
        {
            Description = "An incident or device fault, kind:household@yyyy-MM-ddTHH:mm (local time); repeatable. Kinds: " + string.Join(", ", Scenario.KindNames),
            AllowMultipleArgumentsPerToken = false,
        };
        scenario.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                try
                {
                    Scenario.Parse(token.Value);
                }
                catch (FormatException e)
                {
                    r.AddError(e.Message);
                }
            }
        });
        var scenarios = new Option<FileInfo?>("--scenarios")
        {
            Description = "A JSON file of scenarios: [{\"kind\":\"sos\",\"household\":\"h000012\",\"at\":\"2026-11-23T18:30\"}, …]",
        };

        var verify = new Option<bool>("--verify")
        {
            Description = "Watch the alerts topic while running and check every scenario's alert came in time and no other household had one; exits with 2 on any mismatch",
        };
        var alertsFrom = new Option<Uri?>("--alerts-from")
        {
            Description = "Watch the alerts on the gateway's HTTP stream at this address (GET /api/alerts/stream, with --token) instead of the MQTT alerts topic: for a broker that takes device credentials, where only devices connect",
            CustomParser = r => ParseGatewayUrl(r, "--alerts-from"),
        };
        var token = new Option<string?>("--token")
        {
            Description = "The API token for --alerts-from (an admin or viewer token); default: the LIGHTSON_TOKEN environment variable",
        };
        var secure = new SecureConnectionOptions();

        var grace = new Option<double>("--grace")
        {
            Description = "Simulated seconds an expected alert may come after its deadline: the gateway's clock runs ahead of the simulator's by the gap between their starts times the speed, and stamps raisedAt on its own",
            DefaultValueFactory = _ => 300,
        };
        grace.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && !(value >= 0 && value <= 86_400))
            {
                r.AddError($"--grace must be 0 to 86400 seconds, not {r.Tokens[0].Value}.");
            }
        });

        var command = new Command(name, description)
        {
            registry, host, port, start, speed, clockFrom, duration, seed, qos, connections, root, scenario, scenarios, grace, alertsFrom, token,
        };
        secure.AddTo(command);
        if (!verifyAlways)
        {
            command.Options.Add(verify);
        }
        command.Validators.Add(r =>
        {
            if (r.GetResult(clockFrom) is not null && (r.GetResult(start) is not null || r.GetResult(speed) is { Implicit: false }))
            {
                r.AddError("--clock-from takes the start and speed from the gateway: give it without --start and --speed.");
            }
            if (r.GetResult(secure.Secrets) is not null && r.GetResult(connections) is { Implicit: false })
            {
                r.AddError("--secrets gives every device a connection of its own: leave --connections out.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(registry)!;
            Registry loaded;
            try
            {
                loaded = RegistryLoader.Parse(File.ReadAllBytes(file.FullName), file.FullName);
            }
            catch (Exception e) when (e is RegistryException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"Cannot read the registry: {e.Message}");
                return 1;
            }
            if (loaded.Households.Count == 0)
            {
                error.WriteLine($"{file.FullName} has no households to simulate.");
                return 1;
            }

            // The households' zone reads --start, as the gateway reads Clock:Start in Clock:TimeZone.
            var zone = loaded.Households[0].Policy.TimeZone;
            var generator = new RoutineGenerator(loaded.Households, parse.GetValue(seed));
            ScenarioPlan plan;
            try
            {
                plan = ScenarioPlan.Create(loaded.Households, ReadScenarios(parse.GetValue(scenario), parse.GetValue(scenarios)), generator);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                error.WriteLine($"Cannot use the scenarios: {e.Message}");
                return 1;
            }
            var broker = secure.ReadTarget(parse, host, port, error);
            var secrets = secure.ReadSecrets(parse, error, out bool secretsRead);
            if (broker is null || !secretsRead)
            {
                return 1;
            }
            string target = broker.ToString();
            var gatewayUrl = parse.GetValue(clockFrom);
            if (gatewayUrl is not null && await ReadGatewayClockAsync(gatewayUrl, error, cancellationToken).ConfigureAwait(false) is null)
            {
                return 1;
            }

            AlertWatcher? watcher = null;
            if (verifyAlways || parse.GetValue(verify))
            {
                var streamUrl = parse.GetValue(alertsFrom);
                string? apiToken = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("LIGHTSON_TOKEN");
                if (streamUrl is not null && string.IsNullOrEmpty(apiToken))
                {
                    error.WriteLine("--alerts-from needs an API token: --token, or the LIGHTSON_TOKEN environment variable.");
                    return 1;
                }
                try
                {
                    // Subscribed before the first message, so no alert of the run is missed.
                    watcher = streamUrl is not null
                        ? await AlertWatcher.StreamAsync(streamUrl, apiToken!, cancellationToken).ConfigureAwait(false)
                        : await AlertWatcher.ConnectAsync(broker, parse.GetValue(root)!, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    error.WriteLine($"Cannot watch the alerts at {(streamUrl?.ToString() ?? target)}: {e.Message}");
                    return 1;
                }
            }

            MqttSink sink;
            try
            {
                sink = secrets is not null
                    ? await MqttSink.ConnectDevicesAsync(broker, loaded.Households, secrets, parse.GetValue(qos), cancellationToken).ConfigureAwait(false)
                    : await MqttSink.ConnectAsync(broker, parse.GetValue(connections), parse.GetValue(qos), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error.WriteLine($"Cannot connect to the MQTT broker at {target}: {e.Message}");
                if (watcher is not null)
                {
                    await watcher.DisposeAsync().ConfigureAwait(false);
                }
                return 1;
            }

            // The clock starts once the connections are up, so the first messages go out on time;
            // a gateway's clock is read then too, not only in the check before connecting.
            SimClock? clock;
            if (gatewayUrl is not null)
            {
                clock = await ReadGatewayClockAsync(gatewayUrl, error, cancellationToken).ConfigureAwait(false);
                if (clock is null)
                {
                    await sink.DisposeAsync().ConfigureAwait(false);
                    if (watcher is not null)
                    {
                        await watcher.DisposeAsync().ConfigureAwait(false);
                    }
                    return 1;
                }
            }
            else
            {
                string? startText = parse.GetValue(start);
                long fromUtc = startText is null
                    ? TimeProvider.System.GetUtcNow().UtcTicks
                    : ZonedTime.ToUtcTicks(zone, ParseStart(startText));
                clock = new SimClock(TimeProvider.System, fromUtc, parse.GetValue(speed));
            }
            long startUtc = clock.StartUtcTicks;
            double hours = parse.GetValue(duration) ?? double.PositiveInfinity;
            long endUtc = double.IsPositiveInfinity(hours) || hours * TimeSpan.TicksPerHour >= long.MaxValue - startUtc
                ? long.MaxValue
                : startUtc + (long)(hours * TimeSpan.TicksPerHour);
            await using (sink.ConfigureAwait(false))
            {
                var publisher = new Publisher(loaded.Households, clock, sink, parse.GetValue(root)!);
                output.WriteLine(
                    $"Simulating {loaded.Households.Count} households (seed {parse.GetValue(seed)}) from {Local(zone, startUtc)} {zone.Id} at {clock.Speed.ToString(CultureInfo.InvariantCulture)}x, "
                    + (endUtc == long.MaxValue ? "until stopped" : $"for {hours.ToString(CultureInfo.InvariantCulture)} simulated hours")
                    + $", over {sink.Connections} connections to {target} (QoS {parse.GetValue(qos)})");
                foreach (var expected in plan.Expectations)
                {
                    output.WriteLine($"Scenario {expected.Scenario}: expects {expected.Kind.ToWire()} for {expected.Household}{(expected.Device is null ? "" : $" device {expected.Device}")} by {Local(zone, expected.DeadlineUtcTicks)}");
                }
                using var progress = TimeProvider.System.CreateTimer(
                    _ => output.WriteLine($"{Local(zone, clock.NowUtcTicks)}: {publisher.Sent} sent, {sink.Failed} failed"),
                    null, ProgressEvery, ProgressEvery);
                try
                {
                    await publisher.RunAsync(plan.Apply(generator.Generate(startUtc, endUtc), startUtc, endUtc), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    output.WriteLine("Stopped.");
                }
                output.WriteLine($"Sent {publisher.Sent} messages, {sink.Failed} not accepted by the broker; simulated clock at {Local(zone, clock.NowUtcTicks)}");
                if (watcher is null)
                {
                    return sink.Failed == 0 ? 0 : 1;
                }
                await using (watcher.ConfigureAwait(false))
                {
                    long runEnd = Math.Min(endUtc, clock.NowUtcTicks);
                    var slack = TimeSpan.FromSeconds(parse.GetValue(grace));
                    // Alerts due by the end of the run may still be on their way: wait out the grace on the
                    // simulated clock, and a second of real time for delivery.
                    await Task.Delay(clock.RealDelayUntil(runEnd + slack.Ticks) + TimeSpan.FromSeconds(1), TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
                    var heartbeats = loaded.Households.ToDictionary(h => h.Id, h => h.Policy.Heartbeat, StringComparer.Ordinal);
                    var report = AlertMatcher.Match(plan.Expectations, watcher.Events, startUtc, runEnd, slack, id => heartbeats.GetValueOrDefault(id));
                    report.Write(output, zone);
                    return sink.Failed != 0 ? 1 : report.Passed ? 0 : 2;
                }
            }
        });
        return command;
    }

    private static Uri? ParseGatewayUrl(System.CommandLine.Parsing.ArgumentResult result, string name)
    {
        string text = result.Tokens[0].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }
        result.AddError($"{name} must be the gateway's HTTP address such as http://127.0.0.1:8080, not '{text}'.");
        return null;
    }

    /// <summary>The gateway's clock, or null when it did not give one, said on <paramref name="error"/>.</summary>
    private static async Task<SimClock?> ReadGatewayClockAsync(Uri gateway, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return await GatewayClockSource.ReadAsync(gateway, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"Cannot read the gateway's clock: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static List<Scenario> ReadScenarios(string[]? inline, FileInfo? file)
    {
        var all = new List<Scenario>();
        if (file is not null)
        {
            all.AddRange(ScenarioFile.Parse(File.ReadAllText(file.FullName), file.FullName));
        }
        foreach (var text in inline ?? [])
        {
            all.Add(Scenario.Parse(text));
        }
        return all;
    }

    public static bool TryParseStart(string text, out DateTime local) =>
        DateTime.TryParseExact(text.Trim(), StartFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    private static DateTime ParseStart(string text) =>
        TryParseStart(text, out var local) ? local : throw new FormatException($"Not a local date-time: {text}");

    private static string Local(TimeZoneInfo zone, long utcTicks) =>
        ZonedTime.ToLocal(zone, Math.Min(utcTicks, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
