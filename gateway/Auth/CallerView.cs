namespace LightsOn.Gateway.Auth;

/// <summary><c>GET /api/me</c>: the caller's own token, without its secret.</summary>
internal sealed record CallerView(string Id, string Role, IReadOnlyList<string> Communities, string? Household, string Name)
{
    public static CallerView Of(Caller caller) =>
        new(caller.TokenId, caller.Role.ToWire(), [.. caller.Communities.Order(StringComparer.Ordinal)], caller.Household, caller.Name);
}
