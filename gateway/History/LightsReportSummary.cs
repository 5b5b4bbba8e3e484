namespace LightsOn.Gateway.History;

/// <param name="Households">Households in the roll call (those with a light sensor).</param>
/// <param name="Pending">Not lit yet, but their evening window has not ended on the gateway's clock.</param>
/// <param name="Alerts">Households with a <c>lights-not-on</c> alert that evening.</param>
/// <param name="Resolved">Of those alerts, the ones resolved.</param>
internal sealed record LightsReportSummary(int Households, int Lit, int NotLit, int Pending, int Alerts, int Resolved);
