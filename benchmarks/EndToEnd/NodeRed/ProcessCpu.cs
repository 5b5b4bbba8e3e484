using System.Globalization;

namespace LightsOn.Benchmarks.EndToEnd.NodeRed;

/// <summary>CPU time and peak memory of a running process, from Linux's /proc (proc(5)).</summary>
internal static class ProcessCpu
{
    // USER_HZ: /proc reports times in clock ticks, 100 per second on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU seconds the process has used so far (utime + stime).</summary>
    public static double Seconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        // The fields after it start at 3 (state); utime and stime are fields 14 and 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long utime = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture);
        long stime = long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>Peak resident memory in bytes (<c>VmHWM</c>), or 0 if the kernel does not report it.</summary>
    public static long PeakResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                string kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }
}
