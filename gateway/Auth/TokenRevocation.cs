namespace LightsOn.Gateway.Auth;

/// <summary>What <see cref="TokenStore.Revoke"/> did.</summary>
internal enum TokenRevocation
{
    Revoked,
    AlreadyRevoked,
    NotFound,

    /// <summary>Refused: without it no admin token would be left to manage tokens.</summary>
    LastAdmin,
}
