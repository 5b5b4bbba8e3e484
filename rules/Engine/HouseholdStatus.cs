namespace LightsOn.Rules;

/// <summary>
/// What a board shows of a household, read from its rule state at one instant. Times are UTC
/// ticks, 0 when never.
/// </summary>
/// <param name="LitToday">A light event since the start of the latest evening window that has begun, or a light on now.</param>
/// <param name="AwayUntil">0 at home; <see cref="long.MaxValue"/> away until cleared.</param>
public readonly record struct HouseholdStatus(long LastActivity, long LastLightEvent, bool LitToday, long AwayUntil, int OpenAlerts, Severity? TopSeverity, int DevicesInTrouble);
