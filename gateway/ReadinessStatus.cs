namespace LightsOn.Gateway;

/// <summary>
/// <c>GET /readyz</c>: whether messages can flow. Ready needs the broker up (the embedded one
/// listening, or the external one connected); InfluxDB being away does not make the gateway
/// unready, since the spool takes the points, but it is reported.
/// </summary>
internal sealed record ReadinessStatus(string Status, string Broker, string BrokerMode, string Influx, long SpoolBatches);
