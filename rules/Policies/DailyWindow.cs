namespace LightsOn.Rules;

/// <summary>
/// One occurrence of a daily local-time window (the 亮灯 evening, the 窗帘之约 morning, the
/// night), as UTC ticks: <c>[Start, End)</c>. A window may cross midnight.
/// </summary>
public readonly record struct DailyWindow(long Start, long End)
{
    public bool Contains(long utcTicks) => utcTicks >= Start && utcTicks < End;
}
