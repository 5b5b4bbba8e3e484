namespace LightsOn.Gateway.Auth;

/// <summary>
/// Who is calling, from their token: the role and the scope it reaches. Every endpoint asks this,
/// never the role alone, whether a household may be seen or touched.
/// </summary>
/// <param name="Communities">For operators and viewers; empty for a viewer means every community.</param>
/// <param name="Household">For family tokens: the one household.</param>
internal sealed record Caller(string TokenId, AccessRole Role, IReadOnlySet<string> Communities, string? Household, string Name)
{
    public bool CanSee(string community, string household) => Role switch
    {
        AccessRole.Admin => true,
        AccessRole.Operator => Communities.Contains(community),
        AccessRole.Viewer => Communities.Count == 0 || Communities.Contains(community),
        AccessRole.Family => household == Household,
        _ => false,
    };

    /// <summary>Whether a list filtered to <paramref name="community"/> is in scope at all.</summary>
    public bool CanSeeCommunity(string community) => Role switch
    {
        AccessRole.Admin => true,
        AccessRole.Operator => Communities.Contains(community),
        AccessRole.Viewer => Communities.Count == 0 || Communities.Contains(community),
        _ => false,
    };

    /// <summary>Acknowledge an alert, set or clear away mode.</summary>
    public bool CanAcknowledge(string community, string household) =>
        Role != AccessRole.Viewer && CanSee(community, household);

    /// <summary>Close an alert with an outcome: community staff, not the family.</summary>
    public bool CanResolve(string community, string household) =>
        Role is AccessRole.Admin or AccessRole.Operator && CanSee(community, household);

    public bool CanSetAway(string community, string household) => CanAcknowledge(community, household);

    public bool IsAdmin => Role == AccessRole.Admin;
}
