using System.CommandLine;

using LightsOn.DeviceSim.Tests;

namespace LightsOn.DeviceSim.Tests.Scenarios;

/// <summary><c>run</c>'s scenario and verify options, refused before anything connects.</summary>
public sealed class RunScenarioOptionsTests : SimulatorCommandTest
{
    [Fact]
    public void Help_shows_the_scenario_and_verify_options_with_every_kind()
    {
        Assert.Equal(0, Run("run", "--help"));

        string help = Output.ToString();
        foreach (string text in new[] { "--scenario", "--scenarios", "--verify", "--grace", "no-wake-up", "door-left-open", "clock-skew", "flood" })
        {
            Assert.Contains(text, help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--scenario", "dark:h000001@2026-11-23T18:00", "Unknown scenario 'dark'")]
    [InlineData("--scenario", "sos:h000001", "A scenario is kind:household@yyyy-MM-ddTHH:mm, not 'sos:h000001'.")]
    [InlineData("--grace", "-1", "--grace must be 0 to 86400 seconds, not -1.")]
    public void A_bad_scenario_option_is_refused_naming_it(string option, string value, string message)
    {
        Assert.Equal(1, Run("run", "--registry", WriteRegistry(), option, value));

        Assert.Contains(message, Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_for_a_household_not_in_the_registry_is_refused_before_connecting()
    {
        // Port 1 is never a broker: reaching the connection would be a different error.
        Assert.Equal(1, Run("run", "--registry", WriteRegistry(), "--port", "1", "--scenario", "sos:h000099@2026-11-23T18:00"));

        Assert.Contains("Cannot use the scenarios: sos:h000099@2026-11-23T18:00: household h000099 is not in the registry.", Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenarios_file_with_a_bad_entry_is_refused_with_the_entry()
    {
        string file = Path.Combine(Folder, "scenarios.json");
        File.WriteAllText(file, """[{"kind":"sos","household":"h000001","at":"2026-11-23T18:00"},{"kind":"fall","household":"h000002"}]""");

        Assert.Equal(1, Run("run", "--registry", WriteRegistry(), "--port", "1", "--scenarios", file));

        Assert.Contains("scenarios.json [1]: \"at\" is missing or not a string", Error.ToString(), StringComparison.Ordinal);
    }

    private string WriteRegistry()
    {
        string path = Path.Combine(Folder, "registry.json");
        File.WriteAllBytes(path, RegistryGeneratorTests.Generate(new RegistrySpec(3, 1, 1)));
        return path;
    }
}
