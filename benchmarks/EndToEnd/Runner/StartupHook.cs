using System.Globalization;
using System.Runtime;
using LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// A .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c> = this assembly): lets the runner read the
/// GC heap of the gateway process from outside, since <c>/metrics</c> does not carry it. With
/// <c>LIGHTSON_GC_REPORT</c> set it writes the GC's figures to that file every half second, and
/// runs one full compacting collection whenever the trigger file appears. The runner sets it
/// only for the memory measurement, never for a CPU one.
/// </summary>
/// <remarks>The runtime looks the hook up by this exact name, in no namespace.</remarks>
#pragma warning disable CA1050 // The startup hook contract requires the global namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        string? path = Environment.GetEnvironmentVariable(GcReport.PathVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        new Thread(() => Report(path)) { IsBackground = true, Name = "gc report" }.Start();
    }

    private static void Report(string path)
    {
        string trigger = GcReport.TriggerPath(path);
        int forced = 0;
        while (true)
        {
            if (File.Exists(trigger))
            {
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                forced++;
                File.Delete(trigger);
            }
            var info = GC.GetGCMemoryInfo();
            string text = string.Create(CultureInfo.InvariantCulture, $"""
                heapSizeBytes={info.HeapSizeBytes}
                fragmentedBytes={info.FragmentedBytes}
                committedBytes={info.TotalCommittedBytes}
                totalMemoryBytes={GC.GetTotalMemory(forceFullCollection: false)}
                forcedCollections={forced}

                """);
            File.WriteAllText(path + ".tmp", text);
            File.Move(path + ".tmp", path, overwrite: true);
            Thread.Sleep(500);
        }
    }
}
