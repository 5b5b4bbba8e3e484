namespace LightsOn.Gateway.History;

/// <param name="EveningFrom">The household's evening window on that date, from its policy and time zone, in UTC...</param>
/// <param name="LightsOnBy">... to here (exclusive).</param>
/// <param name="LitAt">The first light-on point in the window.</param>
internal sealed record LightsReportHousehold(
    string Household,
    string Community,
    string Grid,
    DateTime EveningFrom,
    DateTime LightsOnBy,
    bool Lit,
    DateTime? LitAt,
    bool Pending,
    LightsReportAlert? Alert);
