namespace LightsOn.Rules;

/// <summary>
/// The names design.md gives the enums on the wire (topics, JSON, InfluxDB tags). Kept as
/// arrays indexed by the enum value so formatting never allocates.
/// </summary>
public static class WireNames
{
    private static readonly string[] DeviceKinds = ["door", "light", "motion", "fall", "sos", "status"];
    private static readonly string[] RiskLevels = ["low", "medium", "high"];
    private static readonly string[] AlertKinds =
        ["sos", "fall", "inactivity", "lights-not-on", "no-morning-activity", "night-door", "door-left-open", "device-offline", "low-battery"];
    private static readonly string[] Severities = ["low", "medium", "high", "critical"];
    private static readonly string[] Levels = ["family", "grid", "emergency"];
    private static readonly string[] States = ["open", "acknowledged", "resolved"];
    private static readonly string[] Outcomes =
        ["visited-ok", "false-alarm", "medical", "emergency-services", "activity-resumed", "other"];
    private static readonly string[] Changes = ["raised", "repeated", "escalated", "acknowledged", "resolved"];

    public static string ToWire(this DeviceKind value) => DeviceKinds[(int)value];
    public static string ToWire(this RiskLevel value) => RiskLevels[(int)value];
    public static string ToWire(this AlertKind value) => AlertKinds[(int)value];
    public static string ToWire(this Severity value) => Severities[(int)value];
    public static string ToWire(this AlertLevel value) => Levels[(int)value];
    public static string ToWire(this AlertState value) => States[(int)value];
    public static string ToWire(this AlertOutcome value) => Outcomes[(int)value];
    public static string ToWire(this AlertChange value) => Changes[(int)value];

    public static bool TryParse(ReadOnlySpan<char> text, out DeviceKind value) => TryFind(DeviceKinds, text, out value);
    public static bool TryParse(ReadOnlySpan<char> text, out RiskLevel value) => TryFind(RiskLevels, text, out value);
    public static bool TryParse(ReadOnlySpan<char> text, out AlertKind value) => TryFind(AlertKinds, text, out value);
    public static bool TryParse(ReadOnlySpan<char> text, out AlertOutcome value) => TryFind(Outcomes, text, out value);

    public static IReadOnlyList<string> AllOutcomes => Outcomes;

    private static bool TryFind<T>(string[] names, ReadOnlySpan<char> text, out T value) where T : struct, Enum
    {
        for (int i = 0; i < names.Length; i++)
        {
            if (text.SequenceEqual(names[i]))
            {
                value = (T)Enum.ToObject(typeof(T), i);
                return true;
            }
        }
        value = default;
        return false;
    }
}
