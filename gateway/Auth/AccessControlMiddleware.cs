using LightsOn.Gateway.Http;
using LightsOn.Gateway.Ingest;

namespace LightsOn.Gateway.Auth;

/// <summary>
/// Every <c>/api</c> request passes here: its bearer token is looked up and the caller set on
/// the request, or it is answered <c>401</c> with <c>WWW-Authenticate: Bearer</c>. Other paths
/// (health, metrics, OpenAPI, the console's files) pass untouched. Refusals (<c>401</c> here,
/// <c>403</c> from the endpoints) are logged with ids, at most once a minute per token or address.
/// </summary>
internal sealed class AccessControlMiddleware
{
    public const string NoToken = "No token: send Authorization: Bearer <token>.";
    public const string UnknownToken = "This token is not known or has been revoked.";
    public const string StreamPath = "/api/alerts/stream";

    private const int MaxLoggedPathLength = 200;

    private readonly RequestDelegate _next;
    private readonly TokenStore _tokens;
    private readonly ILogger _logger;
    private readonly RejectionLogLimiter _refusals;

    public AccessControlMiddleware(RequestDelegate next, TokenStore tokens, ILogger<AccessControlMiddleware> logger)
    {
        _next = next;
        _tokens = tokens;
        _logger = logger;
        // Refusals are counted against the wall clock: a fast demo clock must not let a
        // scanner's every attempt through to the log.
        _refusals = new RejectionLogLimiter(logger, TimeProvider.System);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await _next(context);
            return;
        }
        string? secret = TokenOf(context.Request);
        if (secret is null)
        {
            await RefuseAsync(context, NoToken, "Bearer", tokenId: "-", reason: "no token");
            return;
        }
        var caller = _tokens.Authenticate(secret);
        if (caller is null)
        {
            await RefuseAsync(context, UnknownToken, "Bearer error=\"invalid_token\"", tokenId: "-", reason: "unknown or revoked token");
            return;
        }
        context.SetCaller(caller);
        await _next(context);
        if (context.Response.StatusCode == StatusCodes.Status403Forbidden)
        {
            LogRefused(context, StatusCodes.Status403Forbidden, caller.TokenId, "outside the token's role or scope");
        }
    }

    /// <summary>
    /// The bearer token of the <c>Authorization</c> header; for <c>GET /api/alerts/stream</c>
    /// only, <c>?access_token=</c> too, because a browser's EventSource cannot set headers.
    /// Query strings end up in proxies' access logs, so no other path takes one.
    /// </summary>
    private static string? TokenOf(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            string token = header["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }
        if (header is null && HttpMethods.IsGet(request.Method) && request.Path.Equals(StreamPath, StringComparison.OrdinalIgnoreCase)
            && request.Query.TryGetValue("access_token", out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]))
        {
            return values[0];
        }
        return null;
    }

    private async Task RefuseAsync(HttpContext context, string message, string challenge, string tokenId, string reason)
    {
        LogRefused(context, StatusCodes.Status401Unauthorized, tokenId, reason);
        context.Response.Headers.WWWAuthenticate = challenge;
        await ApiError.Unauthorized(message).ExecuteAsync(context);
    }

    // The path only, never the query string: it may carry an access_token.
    private void LogRefused(HttpContext context, int status, string tokenId, string reason)
    {
        string remote = context.Connection.RemoteIpAddress?.ToString() ?? "-";
        if (!_logger.IsEnabled(LogLevel.Information) || !_refusals.ShouldLog(tokenId == "-" ? remote : tokenId, out long suppressed))
        {
            return;
        }
        string path = context.Request.Path.Value ?? "";
        if (path.Length > MaxLoggedPathLength)
        {
            path = path[..MaxLoggedPathLength];
        }
        _logger.RequestRefused(status, context.Request.Method, path, remote, tokenId, reason, suppressed);
    }
}
