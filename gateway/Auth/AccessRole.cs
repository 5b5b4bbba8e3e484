namespace LightsOn.Gateway.Auth;

/// <summary>The district – community – family levels of the platform, and a read-only one.</summary>
internal enum AccessRole
{
    /// <summary>The district: everything, and the tokens.</summary>
    Admin,

    /// <summary>A community's staff and grid workers: its communities' households.</summary>
    Operator,

    /// <summary>One household's family.</summary>
    Family,

    /// <summary>Read-only screens.</summary>
    Viewer,
}
