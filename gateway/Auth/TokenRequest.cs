namespace LightsOn.Gateway.Auth;

/// <summary>The body of <c>POST /api/tokens</c>.</summary>
internal sealed record TokenRequest(string? Role, IReadOnlyList<string>? Communities, string? Household, string? Name);
