using System.CommandLine;
using LightsOn.DeviceSim.Mosquitto;
using LightsOn.Rules;

namespace LightsOn.DeviceSim;

/// <summary>
/// <c>mosquitto</c>: writes the password file, ACL file and configuration snippet that make an
/// external Mosquitto enforce the gateway's device rules, plus the device secrets to provision.
/// </summary>
internal static class MosquittoCommand
{
    public static Command Create()
    {
        var registry = new Option<FileInfo>("--registry", "-r")
        {
            Description = "The registry file (design.md format), the same the gateway loads",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "The folder to write acl, passwd, secrets.json, gateway.secret and mosquitto.conf into",
            Required = true,
        };
        var root = new Option<string>("--root")
        {
            Description = "The topic root (the gateway's Ingest root)",
            DefaultValueFactory = _ => "lightson",
        };
        var gatewayUser = new Option<string>("--gateway-user")
        {
            Description = "The gateway's own MQTT user name (its Mqtt:Username)",
            DefaultValueFactory = _ => "lightson-gateway",
        };
        var iterations = new Option<int>("--iterations")
        {
            Description = "PBKDF2-SHA512 iterations of each password hash",
            DefaultValueFactory = _ => MosquittoPassword.DefaultIterations,
        };
        iterations.Validators.Add(r => OptionValidation.InRange(r, 1, 10_000_000));

        var command = new Command("mosquitto", "Generate Mosquitto password, ACL and config files: one user per device, allowed only its own topics")
        {
            registry, output, root, gatewayUser, iterations,
        };
        command.SetAction(parse =>
        {
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
            string user = parse.GetValue(gatewayUser)!;
            if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal) || user.Contains('/', StringComparison.Ordinal))
            {
                error.WriteLine($"--gateway-user '{user}' must be non-empty, without ':' or '/' (device users are household/device).");
                return 1;
            }
            string topicRoot = parse.GetValue(root)!;
            if (topicRoot.Length == 0 || topicRoot.AsSpan().IndexOfAny("+#") >= 0 || topicRoot.EndsWith('/'))
            {
                error.WriteLine($"--root '{topicRoot}' must be a topic without wildcards or a trailing '/'.");
                return 1;
            }
            var folder = parse.GetValue(output)!;
            int devices = MosquittoFiles.Write(loaded, folder, topicRoot, user, parse.GetValue(iterations));
            parse.InvocationConfiguration.Output.WriteLine(
                $"Wrote {devices} device users and the gateway user '{user}' to {folder.FullName}. "
                + $"{MosquittoFiles.SecretsFile} holds the device secrets for provisioning: keep it secret and off the broker.");
            return 0;
        });
        return command;
    }
}
