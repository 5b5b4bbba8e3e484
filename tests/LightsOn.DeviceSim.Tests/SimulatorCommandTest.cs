using System.CommandLine;

namespace LightsOn.DeviceSim.Tests;

/// <summary>
/// Runs the simulator's real command line in-process, capturing what it prints, with a
/// temporary folder for the files a test writes or reads.
/// </summary>
public abstract class SimulatorCommandTest : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("lightson-devicesim-tests-").FullName;
    protected StringWriter Output { get; } = new();
    protected StringWriter Error { get; } = new();

    protected int Run(params string[] args) =>
        SimulatorCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = Output, Error = Error });

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        Output.Dispose();
        Error.Dispose();
        GC.SuppressFinalize(this);
    }
}
