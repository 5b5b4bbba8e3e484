using System.Globalization;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// The GC's figures as <c>StartupHook</c> writes them from inside a measured process:
/// heap size and fragmentation at the last collection, committed bytes, and how many full
/// collections it was asked for.
/// </summary>
internal sealed record GcReport(long HeapSizeBytes, long FragmentedBytes, long CommittedBytes, long TotalMemoryBytes, int ForcedCollections)
{
    /// <summary>The environment variable naming the report file; the hook does nothing without it.</summary>
    public const string PathVariable = "LIGHTSON_GC_REPORT";

    /// <summary>A file next to the report whose existence asks for one full, compacting collection.</summary>
    public static string TriggerPath(string reportPath) => reportPath + ".collect";

    public static GcReport? Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException)
        {
            return null;
        }
        var values = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return values.Count < 5 ? null : new GcReport(values["heapSizeBytes"], values["fragmentedBytes"], values["committedBytes"],
            values["totalMemoryBytes"], (int)values["forcedCollections"]);
    }
}
