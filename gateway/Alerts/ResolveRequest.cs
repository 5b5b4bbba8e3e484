namespace LightsOn.Gateway.Alerts;

/// <summary><c>POST /api/alerts/{id}/resolve</c>: who closed it, with which outcome, and a note.</summary>
internal sealed record ResolveRequest(string? By, string? Outcome, string? Note);
