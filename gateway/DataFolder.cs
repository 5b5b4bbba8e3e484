namespace LightsOn.Gateway;

/// <summary>
/// Where the gateway keeps what must outlive a process and a redeploy (the spool, the webhook
/// outbox, the tokens file): <c>$XDG_DATA_HOME/LightsOn</c> (usually <c>~/.local/share/LightsOn</c>)
/// or <c>%LOCALAPPDATA%\LightsOn</c>. Not next to the assembly: a rebuild must not delete points
/// still waiting for InfluxDB, deliveries still owed or the tokens people sign in with.
/// </summary>
internal static class DataFolder
{
    /// <summary>The path of <paramref name="name"/> inside the data folder.</summary>
    public static string PathOf(string name)
    {
        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(data))
        {
            data = Path.Combine(AppContext.BaseDirectory, "data");
        }
        return Path.Combine(data, "LightsOn", name);
    }

    /// <summary>
    /// Checks a folder setting such as <c>Spool:Path</c>: null when it is unset or a usable folder
    /// path, else the failure naming <paramref name="key"/>. <paramref name="needs"/> says why a
    /// file will not do (e.g. "the spool needs a folder of its own").
    /// </summary>
    public static string? CheckFolderSetting(string key, string? path, string needs)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{key}: '{path}' is not a valid folder path ({e.Message}).";
        }
        return File.Exists(full) ? $"{key}: '{full}' is a file; {needs}." : null;
    }
}
