namespace LightsOn.Gateway.Http;

/// <summary>
/// The one error shape of the API (docs/api.md): <c>{"error":"forbidden","message":"…"}</c>,
/// with a message a person can act on.
/// </summary>
internal sealed record ApiError(string Error, string Message)
{
    public static IResult BadRequest(string message) => Result(StatusCodes.Status400BadRequest, "bad-request", message);

    public static IResult Unauthorized(string message) => Result(StatusCodes.Status401Unauthorized, "unauthorized", message);

    public static IResult Forbidden(string message) => Result(StatusCodes.Status403Forbidden, "forbidden", message);

    public static IResult NotFound(string message) => Result(StatusCodes.Status404NotFound, "not-found", message);

    public static IResult Conflict(string message) => Result(StatusCodes.Status409Conflict, "conflict", message);

    /// <summary>A feature this gateway's configuration cannot serve (the history on the InfluxDB 2.x/3.x API).</summary>
    public static IResult NotImplemented(string message) => Result(StatusCodes.Status501NotImplemented, "not-implemented", message);

    /// <summary>A dependency (InfluxDB) that did not answer; worth trying again later.</summary>
    public static IResult Unavailable(string message) => Result(StatusCodes.Status503ServiceUnavailable, "unavailable", message);

    private static IResult Result(int status, string error, string message) =>
        Results.Json(new ApiError(error, message), GatewayJsonContext.Default.ApiError, statusCode: status);
}
