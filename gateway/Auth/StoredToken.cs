namespace LightsOn.Gateway.Auth;

/// <summary>A token as the tokens file keeps it: who it is for and the SHA-256 of its secret, never the secret.</summary>
/// <param name="Sha256">Lower-case hex of the SHA-256 of the secret's UTF-8 bytes.</param>
internal sealed record StoredToken(
    string Id,
    string Role,
    IReadOnlyList<string> Communities,
    string? Household,
    string Name,
    DateTimeOffset Created,
    string Sha256,
    bool Revoked);
