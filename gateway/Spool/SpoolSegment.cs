namespace LightsOn.Gateway.Spool;

/// <summary>
/// One segment file, linked to the next newer one. <see cref="Length"/>, <see cref="Sealed"/>
/// and <see cref="Next"/> change only under the spool's lock; <see cref="Length"/> counts
/// committed (fsynced) bytes only, so the reader never reads a record still being written.
/// </summary>
internal sealed class SpoolSegment(long id, string path)
{
    public const string Extension = ".seg";

    public long Id { get; } = id;

    public string Path { get; } = path;

    public long Length { get; set; }

    /// <summary>No more records will be appended: the appender has moved on to <see cref="Next"/>.</summary>
    public bool Sealed { get; set; }

    public SpoolSegment? Next { get; set; }

    /// <summary>Sixteen digits, so the ordinal order of the names is the order of the segments.</summary>
    public static string FileName(long id) => id.ToString("D16", System.Globalization.CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseId(string fileName, out long id)
    {
        id = 0;
        return fileName.EndsWith(Extension, StringComparison.Ordinal)
            && fileName.Length == 16 + Extension.Length
            && long.TryParse(fileName.AsSpan(0, 16), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);
    }
}
