using LightsOn.Rules;

namespace LightsOn.Gateway.Households;

/// <summary>
/// A household on the board (<c>GET /api/households</c>): ids, counts and states only, never a
/// resident's or a contact's name, phone or age.
/// </summary>
/// <param name="AwayUntil">Null while away until cleared, and while at home (see <paramref name="Away"/>).</param>
internal sealed record HouseholdBoardItem(
    string Id, string Community, string Grid, string Risk, int Devices,
    bool LitToday, DateTimeOffset? LastActivity, int OpenAlerts, string? TopSeverity, bool Away, DateTimeOffset? AwayUntil, int DeviceTrouble)
{
    public static HouseholdBoardItem Of(Household household, HouseholdStatus status) => new(
        household.Id, household.Community, household.Grid, household.Risk.ToWire(), household.Devices.Count,
        status.LitToday, Time(status.LastActivity), status.OpenAlerts, status.TopSeverity?.ToWire(),
        status.AwayUntil != 0, status.AwayUntil is 0 or long.MaxValue ? null : Time(status.AwayUntil), status.DevicesInTrouble);

    public static DateTimeOffset? Time(long utcTicks) => utcTicks == 0 ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);
}
