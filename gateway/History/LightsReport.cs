namespace LightsOn.Gateway.History;

/// <summary><c>GET /api/reports/lights</c>: the daily 亮灯 roll call.</summary>
/// <param name="Community">The <c>community</c> filter asked for, or null for every community in scope.</param>
internal sealed record LightsReport(string Date, string? Community, LightsReportSummary Summary, IReadOnlyList<LightsReportHousehold> Households);
