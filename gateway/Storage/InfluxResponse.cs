namespace LightsOn.Gateway.Storage;

/// <summary>How one write request ended, as far as retrying is concerned.</summary>
internal enum InfluxOutcome
{
    /// <summary>2xx: the points are in InfluxDB.</summary>
    Written,

    /// <summary>400, 413, 422: InfluxDB will never take these points; the batch is settled.</summary>
    Rejected,

    /// <summary>1.x answered 404: the database is missing (dropped, or never created).</summary>
    DatabaseMissing,

    /// <summary>Network error, timeout, 5xx, 429, 401/403, …: worth another try later.</summary>
    Failed,
}

/// <param name="StatusCode">The HTTP status, or 0 when no response came.</param>
/// <param name="Reason">For logs: the status or the network error, never the response body (it may echo point data).</param>
/// <param name="RetryAfter">InfluxDB's Retry-After on 429/503, when it sent one.</param>
internal readonly record struct InfluxResponse(InfluxOutcome Outcome, int StatusCode, string Reason, TimeSpan? RetryAfter = null);
