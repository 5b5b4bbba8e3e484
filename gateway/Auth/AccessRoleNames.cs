namespace LightsOn.Gateway.Auth;

/// <summary>The roles as the API and the tokens file spell them: <c>admin</c>, <c>operator</c>, <c>family</c>, <c>viewer</c>.</summary>
internal static class AccessRoleNames
{
    public const string All = "admin, operator, family, viewer";

    public static string ToWire(this AccessRole role) => role switch
    {
        AccessRole.Admin => "admin",
        AccessRole.Operator => "operator",
        AccessRole.Family => "family",
        AccessRole.Viewer => "viewer",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? name, out AccessRole role)
    {
        switch (name)
        {
            case "admin":
                role = AccessRole.Admin;
                return true;
            case "operator":
                role = AccessRole.Operator;
                return true;
            case "family":
                role = AccessRole.Family;
                return true;
            case "viewer":
                role = AccessRole.Viewer;
                return true;
            default:
                role = default;
                return false;
        }
    }
}
