using LightsOn.Rules;

namespace LightsOn.Gateway;

/// <summary>A household in <c>GET /api/households</c>: ids and counts only, no names, phones or ages.</summary>
internal sealed record HouseholdSummary(string Id, string Community, string Grid, string Risk, int Devices)
{
    public static HouseholdSummary Of(Household household) =>
        new(household.Id, household.Community, household.Grid, household.Risk.ToWire(), household.Devices.Count);
}
