using System.Text.Json;
using LightsOn.DeviceSim.Credentials;

namespace LightsOn.DeviceSim.Tests;

public sealed class CredentialsCommandTests : SimulatorCommandTest
{
    [Fact]
    public void Credentials_gives_every_device_a_secret_that_verifies_against_its_hash_and_keeps_the_secrets_private()
    {
        string registry = Path.Combine(Folder, "registry.json");
        Assert.Equal(0, Run("registry", "--households", "3", "--communities", "1", "--out", registry));
        string credentials = Path.Combine(Folder, "gateway", "credentials.json");
        string secrets = Path.Combine(Folder, "install", "secrets.json");

        int exit = Run("credentials", "--registry", registry, "--credentials", credentials, "--secrets", secrets);

        Assert.Equal(0, exit);
        var hashes = JsonDocument.Parse(File.ReadAllText(credentials)).RootElement.GetProperty("devices").EnumerateArray().ToList();
        var clear = JsonDocument.Parse(File.ReadAllText(secrets)).RootElement.GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(clear.Count, hashes.Count);
        Assert.Contains($"Wrote credentials for {hashes.Count} devices", Output.ToString(), StringComparison.Ordinal);
        foreach (var (hashed, secret) in hashes.Zip(clear))
        {
            Assert.Equal(hashed.GetProperty("household").GetString() + "/" + hashed.GetProperty("device").GetString(), secret.GetProperty("username").GetString());
            Assert.True(DeviceCredentialHash.Verify(secret.GetProperty("secret").GetString()!, hashed.GetProperty("hash").GetString()!));
        }
        Assert.Equal(clear.Count, clear.Select(s => s.GetProperty("secret").GetString()).Distinct().Count());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secrets));
        }
    }

    [Fact]
    public void A_registry_that_cannot_be_read_is_an_error_naming_it()
    {
        string missing = Path.Combine(Folder, "nope.json");

        int exit = Run("credentials", "--registry", missing, "--credentials", Path.Combine(Folder, "c.json"), "--secrets", Path.Combine(Folder, "s.json"));

        Assert.Equal(1, exit);
        Assert.Contains(missing, Error.ToString(), StringComparison.Ordinal);
    }
}
