namespace LightsOn.Gateway.Spool;

/// <summary>
/// Configuration section <c>Spool</c>: where and how much the InfluxDB writer may park on disk
/// while InfluxDB is unreachable (design.md, Storage; docs/spool.md).
/// </summary>
internal sealed class SpoolOptions
{
    public const string Section = "Spool";
    public const long DefaultMaxBytes = 1L << 30;
    public const long DefaultSegmentBytes = 64L << 20;

    /// <summary>The spool folder; relative paths are read from the working directory. Unset: <see cref="DefaultPath"/>.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Bound on the unacknowledged records (headers included). An append that would pass it
    /// waits for acknowledgements: the spool slows its writer down and never drops a batch.
    /// </summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>A segment file is closed and a new one started once it would grow past this size.</summary>
    public long SegmentBytes { get; set; } = DefaultSegmentBytes;

    /// <summary>
    /// The gateway's data folder for the spool: <c>$XDG_DATA_HOME/LightsOn/spool</c> (usually
    /// <c>~/.local/share/LightsOn/spool</c>) or <c>%LOCALAPPDATA%\LightsOn\spool</c>. Not next to
    /// the assembly: a rebuild or redeploy must not delete points still waiting for InfluxDB.
    /// </summary>
    public static string DefaultPath => DataFolder.PathOf("spool");

    public string ResolvedPath => string.IsNullOrWhiteSpace(Path) ? DefaultPath : System.IO.Path.GetFullPath(Path);
}
