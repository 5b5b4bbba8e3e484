namespace LightsOn.Gateway.Auth;

/// <summary>A token in <c>GET /api/tokens</c>: no secret, no hash.</summary>
internal sealed record TokenView(string Id, string Role, IReadOnlyList<string> Communities, string? Household, string Name, DateTimeOffset Created, bool Revoked)
{
    public static TokenView Of(StoredToken token) =>
        new(token.Id, token.Role, token.Communities, token.Household, token.Name, token.Created, token.Revoked);
}
