using System.Diagnostics;
using System.Globalization;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>The machine and software a run measured on, for the table's header: figures mean little without them.</summary>
internal sealed class MachineInfo
{
    public required DateTimeOffset Started { get; init; }
    public required int Cores { get; init; }
    public required string CpuModel { get; init; }
    public required string MemoryTotal { get; init; }
    public required string LoadAverageAtStart { get; init; }
    public string LoadAverageAtEnd { get; set; } = "";
    public required string Commit { get; init; }
    public required string Runtime { get; init; }
    public required string Influxd { get; init; }
    public required string Mosquitto { get; init; }

    public static MachineInfo Read(string repositoryRoot) => new()
    {
        Started = DateTimeOffset.UtcNow,
        Cores = Environment.ProcessorCount,
        CpuModel = FirstValue("/proc/cpuinfo", "model name") ?? "unknown",
        MemoryTotal = FirstValue("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], CultureInfo.InvariantCulture, out long k)
            ? string.Create(CultureInfo.InvariantCulture, $"{k / 1024.0 / 1024.0:F1} GiB")
            : "unknown",
        LoadAverageAtStart = LoadAverage(),
        Commit = ReadCommit(repositoryRoot),
        Runtime = $".NET {Environment.Version}",
        Influxd = Output("influxd", ["version"])?.Split('\n')[0] ?? "influxd not found",
        Mosquitto = Output("mosquitto", ["-h"])?.Split('\n')[0] ?? "mosquitto not found",
    };

    /// <summary>The 1, 5 and 15 minute load averages (<c>/proc/loadavg</c>).</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string ReadCommit(string root)
    {
        string? head = Output("git", ["-C", root, "rev-parse", "--short=10", "HEAD"])?.Trim();
        if (string.IsNullOrEmpty(head))
        {
            return "unknown";
        }
        string? status = Output("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"]);
        return string.IsNullOrWhiteSpace(status) ? head : $"{head} + uncommitted changes";
    }

    private static string? FirstValue(string file, string key)
    {
        try
        {
            return File.ReadLines(file).Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>What a short command prints (stdout and stderr), or null when it cannot run.</summary>
    private static string? Output(string command, string[] arguments)
    {
        string? path = command == "git" ? "git" : Shared.ExecutableFinder.Find(command);
        if (path is null)
        {
            return null;
        }
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return stdout.Length > 0 ? stdout : stderr.Result;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
