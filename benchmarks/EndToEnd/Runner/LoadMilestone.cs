using System.Globalization;

namespace LightsOn.Benchmarks.EndToEnd.Runner;

/// <summary>One milestone line of the <c>e2e-load</c> process: <c>measure-start sent=… acked=…</c>.</summary>
internal sealed record LoadMilestone(string Name, long Sent, long Acknowledged, long Unexpected, string? Failure)
{
    public static LoadMilestone Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        long Number(string key) => values.TryGetValue(key, out string? v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0;
        string? failure = values.TryGetValue("failure", out string? f) && f != "none" ? Uri.UnescapeDataString(f) : null;
        return new LoadMilestone(parts[0], Number("sent"), Number("acked"), Number("unexpected"), failure);
    }
}
