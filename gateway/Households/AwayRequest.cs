namespace LightsOn.Gateway.Households;

/// <summary><c>POST /api/households/{id}/away</c>: away until then, or until cleared when absent.</summary>
internal sealed record AwayRequest(DateTimeOffset? Until);
