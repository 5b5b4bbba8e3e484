namespace LightsOn.Gateway.Auth;

/// <summary>The <c>201</c> answer to <c>POST /api/tokens</c>: the only time the secret is shown.</summary>
internal sealed record NewTokenView(string Id, string Token, string Role, IReadOnlyList<string> Communities, string? Household, string Name, DateTimeOffset Created)
{
    public static NewTokenView Of(StoredToken token, string secret) =>
        new(token.Id, secret, token.Role, token.Communities, token.Household, token.Name, token.Created);
}
