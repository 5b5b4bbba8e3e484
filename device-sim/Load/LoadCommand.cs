using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LightsOn.DeviceSim.Connection;
using LightsOn.Rules;
using MQTTnet.Protocol;

namespace LightsOn.DeviceSim.Load;

/// <summary><c>load</c>: a target message rate over many connections for a duration, with live progress and a summary.</summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var registry = new Option<FileInfo>("--registry", "-r")
        {
            Description = "The registry file whose households' devices publish (as the gateway loads it)",
            Required = true,
        };
        var host = new Option<string>("--host")
        {
            Description = "The MQTT broker's host: the gateway's embedded broker, or the external one it subscribes to",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port", "-p")
        {
            Description = "The MQTT broker's port",
            DefaultValueFactory = _ => 1883,
        };
        port.Validators.Add(r => OptionValidation.InRange(r, 1, 65535));
        var rate = new Option<int>("--rate")
        {
            Description = "Target messages per second, over all connections together",
            DefaultValueFactory = _ => 10_000,
        };
        rate.Validators.Add(r => OptionValidation.InRange(r, 1, 10_000_000));
        var duration = new Option<int>("--duration", "-d")
        {
            Description = "Seconds to publish for",
            DefaultValueFactory = _ => 60,
        };
        duration.Validators.Add(r => OptionValidation.InRange(r, 1, 86_400));
        var connections = new Option<int>("--connections")
        {
            Description = "MQTT connections to spread the devices over (at most the registry's device count); with --secrets, one device each: the first this many devices publish (default: every device)",
            DefaultValueFactory = _ => 50,
        };
        connections.Validators.Add(r => OptionValidation.InRange(r, 1, 10_000));
        var qos = new Option<int>("--qos")
        {
            Description = "MQTT QoS: 1 waits for every PUBACK, 0 fires and forgets",
            DefaultValueFactory = _ => 1,
        };
        qos.Validators.Add(r => OptionValidation.InRange(r, 0, 1));
        var inFlight = new Option<int>("--inflight")
        {
            Description = "Publishes each connection keeps unacknowledged at once (QoS 1)",
            DefaultValueFactory = _ => 256,
        };
        inFlight.Validators.Add(r => OptionValidation.InRange(r, 1, 65_535));
        var seed = new Option<int>("--seed")
        {
            Description = "Seed for the message mix",
            DefaultValueFactory = _ => 1,
        };
        var start = new Option<DateTimeOffset?>("--start")
        {
            Description = "Device time (ts) of the first messages, e.g. 2026-11-23T15:00:00+08:00 for a gateway on Clock:Start (default: now)",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print the summary as one JSON object",
        };

        var secure = new SecureConnectionOptions();
        var command = new Command("load", "Publish device messages at a target rate over many connections; report sent, acknowledged, errors and the rate reached")
        {
            registry, host, port, rate, duration, connections, qos, inFlight, seed, start, json,
        };
        secure.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(registry)!;
            List<LoadDevice> devices;
            try
            {
                devices = LoadDevice.ReadRegistry(file.FullName, "lightson");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or RegistryException)
            {
                await error.WriteLineAsync($"Cannot read the registry {file.FullName}: {e.Message}");
                return 1;
            }
            var broker = secure.ReadTarget(parse, host, port, error);
            var secrets = secure.ReadSecrets(parse, error, out bool secretsRead);
            if (broker is null || !secretsRead)
            {
                return 1;
            }
            var options = new LoadOptions
            {
                Host = broker.Host,
                Port = broker.Port,
                Tls = broker.Tls,
                TrustedAuthorities = broker.TrustedAuthorities,
                Secrets = secrets,
                Rate = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                // With secrets a connection is a device: every device, unless told fewer.
                Connections = secrets is not null && parse.GetResult(connections) is not { Implicit: false } ? devices.Count : parse.GetValue(connections),
                Qos = parse.GetValue(qos) == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce,
                InFlight = parse.GetValue(inFlight),
                Seed = parse.GetValue(seed),
                Start = parse.GetValue(start),
            };
            if (devices.Count < options.Connections)
            {
                await error.WriteLineAsync($"--connections ({options.Connections}) must not be more than the registry's devices ({devices.Count}).");
                return 1;
            }

            var result = await new LoadGenerator(options, devices).RunAsync(
                p => error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Elapsed.TotalSeconds,5:0}s  rate {p.Rate,9:N0}/s  sent {p.Sent,11:N0}  acknowledged {p.Acknowledged,11:N0}  errors {p.Errors:N0}")),
                cancellationToken);
            bool asJson = parse.GetValue(json);
            await output.WriteLineAsync(asJson ? LoadSummary.Json(result) : LoadSummary.Text(result));
            if (asJson && result.Failure is not null)
            {
                await error.WriteLineAsync(result.Failure);
            }
            return result.Succeeded ? 0 : result.Failure is not null ? 2 : 3;
        });
        return command;
    }
}
