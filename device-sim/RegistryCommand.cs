using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;

namespace LightsOn.DeviceSim;

/// <summary><c>registry</c>: writes a generated registry for N households.</summary>
internal static class RegistryCommand
{
    public static Command Create()
    {
        var households = new Option<int>("--households", "-n")
        {
            Description = "How many households",
            DefaultValueFactory = _ => 1000,
        };
        households.Validators.Add(r => OptionValidation.InRange(r, 1, RegistrySpec.MaxHouseholds));

        var communities = new Option<int>("--communities", "-c")
        {
            Description = "How many communities the households are spread over",
            DefaultValueFactory = _ => 5,
        };
        communities.Validators.Add(r => OptionValidation.InRange(r, 1, RegistrySpec.MaxCommunities));

        var seed = new Option<int>("--seed")
        {
            Description = "Seed: the same seed and counts give the same file, byte for byte",
            DefaultValueFactory = _ => 42,
        };

        var output = new Option<FileInfo?>("--out", "-o")
        {
            Description = "The file to write (default: standard output)",
        };

        var command = new Command("registry", "Generate a registry file (design.md format) for N households")
        {
            households, communities, seed, output,
        };
        command.SetAction(parse =>
        {
            var spec = new RegistrySpec(parse.GetValue(households), parse.GetValue(communities), parse.GetValue(seed));
            if (spec.Communities > spec.Households)
            {
                parse.InvocationConfiguration.Error.WriteLine(
                    $"--communities ({spec.Communities}) must not be more than --households ({spec.Households}): every community needs a household.");
                return 1;
            }
            var file = parse.GetValue(output);
            if (file is null)
            {
                using var stdout = Console.OpenStandardOutput();
                RegistryGenerator.Write(spec, stdout);
                return 0;
            }
            file.Directory?.Create();
            using (var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                RegistryGenerator.Write(spec, stream);
            }
            parse.InvocationConfiguration.Output.WriteLine(
                $"Wrote {spec.Households} households in {spec.Communities} communities (seed {spec.Seed}) to {file.FullName}");
            return 0;
        });
        return command;
    }
}
