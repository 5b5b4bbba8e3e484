using LightsOn.Gateway.Alerts;
using LightsOn.Gateway.Auth;
using LightsOn.Gateway.Households;
using LightsOn.Gateway.Pipeline;
using LightsOn.Gateway.Spool;
using LightsOn.Gateway.Storage;
using LightsOn.Gateway.Webhooks;

namespace LightsOn.Gateway;

internal static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (GatewayClock clock) => HealthStatus.Of(clock));
        endpoints.MapGet("/readyz", (IngestService ingest, InfluxWriter writer, IBatchSpool spool) =>
        {
            long spooled = spool is WriterSpool disk ? disk.Disk.Batches : 0;
            var status = new ReadinessStatus(
                ingest.BrokerReady ? "ready" : "not-ready",
                ingest.BrokerReady ? "up" : "down",
                ingest.BrokerMode,
                writer.IsReachable ? "up" : "down (spooling)",
                spooled);
            return Results.Json(status, GatewayJsonContext.Default.ReadinessStatus,
                statusCode: ingest.BrokerReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapGet("/metrics", (IngestCounters counters, IngestService ingest, InfluxWriter writer, AlertDispatcher alerts, IBatchSpool spool, WebhookDelivery webhooks, Mqtt.DeviceAccessCounters deviceAccess) =>
            Results.Text(MetricsText.Render(counters, ingest, writer, alerts, (spool as WriterSpool)?.Disk) + WebhookMetricsText.Render(webhooks.Status) + Mqtt.DeviceAccessMetricsText.Render(deviceAccess),
                "text/plain; version=0.0.4; charset=utf-8"));

        // /openapi/v1.json: the API as documented in docs/api.md, for integrators' generators.
        endpoints.MapOpenApi();
        endpoints.MapAccessControlEndpoints();
        endpoints.MapAlertEndpoints();
        endpoints.MapHouseholdEndpoints();
        endpoints.MapWebhooks();
        endpoints.MapHistory();
        return endpoints;
    }
}
