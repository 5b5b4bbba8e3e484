using System.Globalization;
using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>
/// Configuration section <c>Clock</c>: the demo and test clock. Unset, the gateway runs on
/// real time; with <see cref="Start"/> and/or <see cref="Speed"/> the rules run on a clock
/// that starts at that local time and runs that many times faster (design.md, Configuration).
/// </summary>
internal sealed class ClockOptions
{
    public const string Section = "Clock";

    private static readonly string[] StartFormats =
        ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>A local date-time in <see cref="TimeZone"/>, such as <c>2026-11-23T15:30</c>.</summary>
    public string? Start { get; set; }

    public double Speed { get; set; } = 1;

    /// <summary>The zone <see cref="Start"/> is read in; the registry's default zone unless set.</summary>
    public string TimeZone { get; set; } = PolicyDefaults.TimeZoneId;

    public bool IsScaled => !string.IsNullOrWhiteSpace(Start) || Speed != 1;

    public static bool TryParseStart(string text, out DateTime local) =>
        DateTime.TryParseExact(text.Trim(), StartFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    /// <summary>The clock's start as UTC; call only on validated options with <see cref="Start"/> set.</summary>
    public DateTimeOffset StartUtc()
    {
        if (Start is null || !TryParseStart(Start, out var local))
        {
            throw new InvalidOperationException("Clock:Start is not set or not valid.");
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        return new DateTimeOffset(ZonedTime.ToUtcTicks(zone, local), TimeSpan.Zero);
    }
}
