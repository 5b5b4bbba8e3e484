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
}
