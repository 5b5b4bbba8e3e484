namespace LightsOn.Gateway.Alerts;

/// <summary><c>POST /api/alerts/{id}/ack</c>: who took the alert on (default: the token's name).</summary>
internal sealed record AcknowledgeRequest(string? By);
