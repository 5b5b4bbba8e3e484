using System.Globalization;
using LightsOn.DeviceSim.Run;

namespace LightsOn.DeviceSim.Scenarios;

/// <summary>
/// One incident or device fault: what, in which household, and when on the simulated clock
/// (local time in the household's zone), written <c>kind:household@yyyy-MM-ddTHH:mm</c>.
/// </summary>
internal sealed record Scenario(ScenarioKind Kind, string Household, DateTime Local)
{
    private static readonly string[] Names =
        ["sos", "fall", "no-wake-up", "lights-not-on", "wandering", "door-left-open", "device-offline",
         "low-battery", "inactivity", "malformed", "duplicate", "clock-skew", "flood"];

    public static IReadOnlyList<string> KindNames => Names;

    public static string NameOf(ScenarioKind kind) => Names[(int)kind];

    public static bool TryParseKind(string text, out ScenarioKind kind)
    {
        int i = Array.IndexOf(Names, text.Trim().ToLowerInvariant());
        kind = (ScenarioKind)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>Reads <c>kind:household@local-time</c>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Scenario Parse(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        int at = text.LastIndexOf('@');
        if (colon <= 0 || at < colon + 2)
        {
            throw new FormatException($"A scenario is kind:household@yyyy-MM-ddTHH:mm, not '{text}'.");
        }
        return Create(text[..colon], text[(colon + 1)..at], text[(at + 1)..]);
    }

    public static Scenario Create(string kind, string household, string local)
    {
        if (!TryParseKind(kind, out var k))
        {
            throw new FormatException($"Unknown scenario '{kind}': one of {string.Join(", ", Names)}.");
        }
        if (string.IsNullOrWhiteSpace(household))
        {
            throw new FormatException($"The {kind} scenario names no household.");
        }
        if (!RunCommand.TryParseStart(local, out var time))
        {
            throw new FormatException($"The {kind} scenario's time must be a local date-time such as 2026-11-23T18:30, not '{local}'.");
        }
        return new Scenario(k, household.Trim(), time);
    }

    public override string ToString() =>
        $"{NameOf(Kind)}:{Household}@{Local.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)}";
}
