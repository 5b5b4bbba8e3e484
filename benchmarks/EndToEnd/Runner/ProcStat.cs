using System.Diagnostics;
using System.Globalization;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>
/// CPU time and memory of a process and its live descendants, from Linux's /proc: utime + stime
/// (and cutime + cstime, the children it has already reaped) of <c>/proc/&lt;pid&gt;/stat</c> in
/// clock ticks; VmRSS and VmHWM (peak resident set) of <c>/proc/&lt;pid&gt;/status</c> in KiB.
/// </summary>
internal static class ProcStat
{
    private static readonly Lazy<long> TicksPerSecond = new(ReadClockTicks);

    /// <summary><c>sysconf(_SC_CLK_TCK)</c>, read through <c>getconf CLK_TCK</c>.</summary>
    public static long ClockTicksPerSecond => TicksPerSecond.Value;

    /// <summary>CPU ticks of <paramref name="pid"/> and every live descendant (a wrapper that forks is measured with its children).</summary>
    /// <exception cref="InvalidOperationException">The process is gone: a measured server must outlive its window.</exception>
    public static long CpuTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            throw new InvalidOperationException($"process {pid} is gone; its CPU time cannot be read", e);
        }
        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        long ticks = Field(14) + Field(15) + Field(16) + Field(17);
        foreach (int child in Children(pid))
        {
            try
            {
                ticks += CpuTicks(child);
            }
            catch (InvalidOperationException)
            {
                // Exited between listing and reading: its time is in our cutime once reaped.
            }
        }
        return ticks;
    }

    /// <summary>A <c>/proc/&lt;pid&gt;/status</c> value in KiB (<c>VmRSS</c>, <c>VmHWM</c>), summed over the live descendants; 0 when gone.</summary>
    public static long MemoryKiB(int pid, string key)
    {
        long total = 0;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                {
                    total = long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    break;
                }
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return 0;
        }
        foreach (int child in Children(pid))
        {
            total += MemoryKiB(child, key);
        }
        return total;
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (string task in tasks)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                continue;
            }
            foreach (string child in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return int.Parse(child, CultureInfo.InvariantCulture);
            }
        }
    }

    private static long ReadClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true, UseShellExecute = false });
            string text = getconf!.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FormatException or InvalidOperationException)
        {
            // USER_HZ is 100 on every Linux architecture .NET runs on.
            return 100;
        }
    }
}
