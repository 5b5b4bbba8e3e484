namespace LightsOn.Benchmarks.EndToEnd.Shared;

internal static class ExecutableFinder
{
    /// <summary>The full path of <paramref name="name"/> on PATH, or in /usr/bin or /usr/sbin (Debian puts mosquitto there), or null.</summary>
    public static string? Find(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/sbin");
        foreach (string folder in folders)
        {
            if (folder.Length > 0 && File.Exists(Path.Combine(folder, name)))
            {
                return Path.Combine(folder, name);
            }
        }
        return null;
    }
}
