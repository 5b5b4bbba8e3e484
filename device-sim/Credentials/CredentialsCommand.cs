using System.CommandLine;
using LightsOn.Rules;

namespace LightsOn.DeviceSim.Credentials;

/// <summary><c>credentials</c>: provisions a secret for every device of a registry (docs/security.md).</summary>
internal static class CredentialsCommand
{
    public static Command Create()
    {
        var registry = new Option<FileInfo>("--registry", "-r")
        {
            Description = "The registry whose devices get credentials",
            Required = true,
        };
        var credentials = new Option<FileInfo>("--credentials")
        {
            Description = "The gateway's credentials file to write (hashes only; Mqtt:CredentialsPath)",
            Required = true,
        };
        var secrets = new Option<FileInfo>("--secrets")
        {
            Description = "The device secrets file to write (user name and secret per device; keep it away from the gateway)",
            Required = true,
        };
        var command = new Command("credentials", "Give every device of a registry a random secret: hashes for the gateway, secrets for the devices")
        {
            registry, credentials, secrets,
        };
        command.SetAction(parse =>
        {
            var registryFile = parse.GetValue(registry)!;
            Registry loaded;
            try
            {
                loaded = RegistryLoader.Parse(File.ReadAllBytes(registryFile.FullName), registryFile.FullName);
            }
            catch (Exception e) when (e is RegistryException or IOException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"Cannot read the registry {registryFile.FullName}: {e.Message}");
                return 1;
            }
            var credentialsFile = parse.GetValue(credentials)!;
            var secretsFile = parse.GetValue(secrets)!;
            if (credentialsFile.FullName == secretsFile.FullName)
            {
                parse.InvocationConfiguration.Error.WriteLine("--credentials and --secrets must be different files.");
                return 1;
            }
            credentialsFile.Directory?.Create();
            secretsFile.Directory?.Create();
            int devices;
            using (var hashed = new FileStream(credentialsFile.FullName, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var clear = OpenPrivate(secretsFile.FullName))
            {
                devices = CredentialsWriter.Write(loaded, hashed, clear);
            }
            parse.InvocationConfiguration.Output.WriteLine(
                $"Wrote credentials for {devices} devices: hashes to {credentialsFile.FullName}, secrets to {secretsFile.FullName}");
            return 0;
        });
        return command;
    }

    // The secrets file is readable by its owner only where the file system has modes.
    private static FileStream OpenPrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }
}
