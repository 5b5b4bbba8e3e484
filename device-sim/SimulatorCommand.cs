using System.CommandLine;

namespace LightsOn.DeviceSim;

/// <summary>The simulator's command line: <c>--help</c> lists exactly the commands there are.</summary>
internal static class SimulatorCommand
{
    public static RootCommand Create() => new("LightsOn device simulator: test data and device traffic for the LightsOn gateway")
    {
        RegistryCommand.Create(),
        Run.RunCommand.Create(),
        Run.RunCommand.CreateVerify(),
        Load.LoadCommand.Create(),
        Credentials.CredentialsCommand.Create(),
        MosquittoCommand.Create(),
    };
}
