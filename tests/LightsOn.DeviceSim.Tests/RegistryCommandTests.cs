using LightsOn.Rules;

namespace LightsOn.DeviceSim.Tests;

public sealed class RegistryCommandTests : SimulatorCommandTest
{
    [Fact]
    public void Registry_writes_the_generated_file_to_out()
    {
        string path = Path.Combine(Folder, "sub", "registry.json");

        int exit = Run("registry", "--households", "120", "--communities", "3", "--seed", "9", "--out", path);

        Assert.Equal(0, exit);
        Assert.Equal(RegistryGeneratorTests.Generate(new RegistrySpec(120, 3, 9)), File.ReadAllBytes(path));
        Assert.Equal(120, RegistryLoader.Parse(File.ReadAllBytes(path), path).Households.Count);
        Assert.Contains("Wrote 120 households in 3 communities (seed 9)", Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_command_of_the_simulator()
    {
        int exit = Run("--help");

        Assert.Equal(0, exit);
        string help = Output.ToString();
        string commands = help[help.IndexOf("Commands:", StringComparison.Ordinal)..];
        Assert.Equal(["registry", "run", "verify", "load", "credentials", "mosquitto"], commands.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]));
    }

    [Theory]
    [InlineData("--households", "0", "--households must be 1 to 9999999, not 0.")]
    [InlineData("--communities", "1000", "--communities must be 1 to 999, not 1000.")]
    [InlineData("--households", "many", "Cannot parse argument 'many' for option '--households'")]
    public void A_bad_count_is_refused_naming_the_option(string option, string value, string message)
    {
        string path = Path.Combine(Folder, "registry.json");

        int exit = Run("registry", option, value, "--out", path);

        Assert.Equal(1, exit);
        Assert.Contains(message, Error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void More_communities_than_households_is_refused_with_both_counts()
    {
        int exit = Run("registry", "--households", "2", "--communities", "3", "--out", Path.Combine(Folder, "r.json"));

        Assert.Equal(1, exit);
        Assert.Contains("--communities (3) must not be more than --households (2)", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_is_refused()
    {
        Assert.Equal(1, Run("traffic"));
        Assert.Contains("'traffic'", Error.ToString(), StringComparison.Ordinal);
    }
}
