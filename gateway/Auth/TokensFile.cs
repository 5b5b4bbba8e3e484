namespace LightsOn.Gateway.Auth;

/// <summary>The tokens file (<c>Auth:TokensPath</c>).</summary>
internal sealed record TokensFile(int Version, IReadOnlyList<StoredToken> Tokens)
{
    public const int CurrentVersion = 1;
}
