namespace LightsOn.Gateway.Alerts;

/// <summary>
/// One alert change as it leaves the gateway: the design.md JSON (the same bytes on MQTT, the
/// SSE stream and webhooks), numbered by <see cref="Id"/>, which rises by one per change.
/// </summary>
internal sealed record AlertEvent(long Id, string Community, string Household, byte[] Json);
