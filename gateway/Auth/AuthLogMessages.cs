namespace LightsOn.Gateway;

/// <summary>Access control's log lines (event ids 2001–2099): token ids and roles, never secrets or names.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(2001, LogLevel.Information, "Tokens file {Path}: {Tokens} tokens, {Admins} admin tokens in force")]
    public static partial void TokensLoaded(this ILogger logger, string path, int tokens, int admins);

    [LoggerMessage(2002, LogLevel.Information, "Token {TokenId} ({Role}) created by {CreatedBy}")]
    public static partial void TokenCreated(this ILogger logger, string tokenId, string role, string createdBy);

    [LoggerMessage(2003, LogLevel.Information, "Token {TokenId} ({Role}) revoked by {RevokedBy}")]
    public static partial void TokenRevoked(this ILogger logger, string tokenId, string role, string revokedBy);

    [LoggerMessage(2004, LogLevel.Warning, "First start: admin token {TokenId} created; its secret is printed on the console, once, and not logged")]
    public static partial void FirstAdminTokenCreated(this ILogger logger, string tokenId);

    [LoggerMessage(2005, LogLevel.Warning, "The tokens file {Path} cannot be written ({Reason}): tokens are kept in memory until the gateway stops; set Auth:TokensPath to a writable file")]
    public static partial void TokensKeptInMemory(this ILogger logger, string path, string reason);

    [LoggerMessage(2006, LogLevel.Information, "Refused {Status} {Method} {Path} from {Remote}, token {TokenId}: {Reason}; {Suppressed} more refusals for this token or address not logged since its last line")]
    public static partial void RequestRefused(this ILogger logger, int status, string method, string path, string remote, string tokenId, string reason, long suppressed);
}
